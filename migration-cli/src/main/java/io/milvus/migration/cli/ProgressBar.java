package io.milvus.migration.cli;

import io.milvus.migration.ProgressEvent;
import io.milvus.migration.ProgressListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows progress on the console. On a terminal: one bar per stage, redrawn in place with a carriage return (no
 * escape sequences), with rows, MB/s and the time left. Otherwise a few plain lines: one when a stage starts, one
 * every {@value #PLAIN_INTERVAL_SECONDS} s while it runs, one when its rows are all done.
 */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 20;
    private static final long PLAIN_INTERVAL_SECONDS = 10;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final double bytesPerRow;
    private final Clock clock;
    private ProgressEvent.Stage stage;
    private String collection;
    private long stageStart;
    /** When the last event came (at first: when this bar was made); the work of an event happens before it. */
    private long lastEvent;
    private long lastDraw;
    private int drawnWidth;
    private boolean stageFinished;

    /** The time in nanoseconds; a parameter so that rates can be tested without sleeping. */
    interface Clock {
        long nanoTime();
    }

    /**
     * @param bytesPerRow bytes of one row as the source holds them, for MB/s; 0 when unknown (rows/s is shown)
     */
    ProgressBar(PrintStream out, boolean terminal, double bytesPerRow) {
        this(out, terminal, bytesPerRow, System::nanoTime);
    }

    ProgressBar(PrintStream out, boolean terminal, double bytesPerRow, Clock clock) {
        this.out = out;
        this.terminal = terminal;
        this.bytesPerRow = bytesPerRow;
        this.clock = clock;
        this.lastEvent = clock.nanoTime();
    }

    @Override
    public synchronized void onProgress(ProgressEvent e) {
        long now = clock.nanoTime();
        try {
            show(e, now);
        } finally {
            lastEvent = now;
        }
    }

    /**
     * While splits are still being read, groups are staged and imported beside the reading: those events show on
     * the reading bar (with the rows imported so far) instead of starting bars of their own.
     */
    private static ProgressEvent shown(ProgressEvent e) {
        boolean reading = e.stage() == ProgressEvent.Stage.STAGE || e.stage() == ProgressEvent.Stage.IMPORT
                && e.splitsTotal() > 0 && e.splitsDone() < e.splitsTotal();
        if (!reading) {
            return e;
        }
        return ProgressEvent.builder(ProgressEvent.Stage.READ).jobId(e.jobId()).time(e.time())
                .collection(e.collection()).rows(e.rowsRead(), e.rowsTotal()).rowsRead(e.rowsRead())
                .rowsImported(e.rowsImported()).splits(e.splitsDone(), e.splitsTotal())
                .groups(e.groupsStaged(), e.groupsImported()).build();
    }

    private void show(ProgressEvent event, long now) {
        ProgressEvent e = shown(event);
        boolean newStage = e.stage() != stage || !e.collection().equals(collection);
        if (newStage) {
            endLine();
            stage = e.stage();
            collection = e.collection();
            stageStart = lastEvent;
            lastDraw = now;
            stageFinished = false;
        }
        if (e.stage() == ProgressEvent.Stage.DONE) {
            return; // the command prints its summary line next
        }
        boolean complete = e.rowsTotal() >= 0 && e.rowsDone() >= e.rowsTotal();
        if (terminal) {
            if (newStage || complete || now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                String line = line(e, now);
                out.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
                out.flush();
                drawnWidth = line.length();
            }
        } else if (newStage || (complete && !stageFinished)
                || now - lastDraw >= PLAIN_INTERVAL_SECONDS * 1_000_000_000L) {
            lastDraw = now;
            out.println(line(e, now));
        }
        stageFinished |= complete;
    }

    /** Ends the bar's line on a terminal; call before printing anything else. */
    synchronized void finish() {
        endLine();
        stage = null;
        collection = null;
    }

    private void endLine() {
        if (terminal && drawnWidth > 0) {
            out.println();
            out.flush();
        }
        drawnWidth = 0;
    }

    private String line(ProgressEvent e, long now) {
        var s = new StringBuilder(96);
        s.append(String.format(Locale.ROOT, "%-8s %s", e.stage(), e.collection().isEmpty() ? "" : e.collection()));
        boolean known = e.rowsTotal() > 0;
        double fraction = known ? Math.min(1.0, (double) e.rowsDone() / e.rowsTotal()) : 0;
        if (terminal) {
            int filled = (int) Math.floor(fraction * WIDTH);
            s.append(" [").append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append(']');
        } else {
            s.append(':');
        }
        if (known || e.rowsTotal() == 0) {
            s.append(String.format(Locale.ROOT, " %3d%%", Math.round(e.rowsTotal() == 0 ? 100 : fraction * 100)));
        }
        s.append(' ').append(e.rowsDone());
        if (e.rowsTotal() >= 0) {
            s.append('/').append(e.rowsTotal());
        }
        s.append(" rows");
        double seconds = (now - stageStart) / 1e9;
        if (e.stage() == ProgressEvent.Stage.READ && seconds > 0 && e.rowsDone() > 0) {
            double rowsPerSecond = e.rowsDone() / seconds;
            s.append(", ").append(bytesPerRow > 0 ? rate(rowsPerSecond * bytesPerRow)
                    : String.format(Locale.ROOT, "%.0f rows/s", rowsPerSecond));
            if (known && e.rowsDone() < e.rowsTotal()) {
                s.append(", ETA ").append(duration((e.rowsTotal() - e.rowsDone()) / rowsPerSecond));
            }
        }
        if (e.stage() == ProgressEvent.Stage.READ && e.rowsImported() > 0) {
            s.append(", ").append(e.rowsImported()).append(" imported");
        }
        if (!e.message().isEmpty()) {
            s.append(" (").append(e.message()).append(')');
        }
        return s.toString();
    }

    /** Bytes per second in MB/s, or kB/s and GB/s where MB/s would show too few or too many digits. */
    static String rate(double bytesPerSecond) {
        return bytesPerSecond >= 10e9 ? String.format(Locale.ROOT, "%.1f GB/s", bytesPerSecond / 1e9)
                : bytesPerSecond >= 0.1e6 ? String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6)
                : String.format(Locale.ROOT, "%.1f kB/s", bytesPerSecond / 1e3);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
