package io.milvus.migration.cli;

import io.milvus.migration.ProgressEvent;
import io.milvus.migration.ProgressListener;
import java.io.PrintStream;

/**
 * Shows progress: a bar redrawn in place on a terminal, otherwise a plain line at each stage and every tenth of the
 * way.
 */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private ProgressEvent.Stage stage;
    private long lastTenth = -1;
    private long lastDraw;

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void onProgress(ProgressEvent e) {
        boolean newStage = e.stage() != stage;
        if (newStage && terminal && stage != null) {
            out.println();
        }
        stage = e.stage();
        if (newStage) {
            lastTenth = -1;
        }
        String rows = e.rowsTotal() >= 0 ? e.rowsDone() + "/" + e.rowsTotal() : String.valueOf(e.rowsDone());
        double fraction = e.rowsTotal() > 0 ? Math.min(1.0, (double) e.rowsDone() / e.rowsTotal()) : 0;
        String note = e.message().isEmpty() ? "" : " " + e.message();
        if (terminal) {
            long now = System.nanoTime();
            if (!newStage && now - lastDraw < 100_000_000L && fraction < 1.0) {
                return; // at most ten redraws a second
            }
            lastDraw = now;
            int filled = (int) Math.round(fraction * WIDTH);
            out.printf("\r%-8s %s [%s%s] %3d%% %s rows%s", e.stage(), e.collection(), "#".repeat(filled),
                    " ".repeat(WIDTH - filled), Math.round(fraction * 100), rows, note);
            if (e.stage() == ProgressEvent.Stage.DONE) {
                out.println();
            }
            out.flush();
        } else {
            long tenth = (long) Math.floor(fraction * 10);
            if (newStage || tenth > lastTenth) {
                lastTenth = tenth;
                out.printf("%s %s: %s rows (%d%%)%s%n", e.stage(), e.collection(), rows, Math.round(fraction * 100),
                        note);
            }
        }
    }
}
