package io.milvus.migration.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.migration.ProgressEvent;
import io.milvus.migration.ProgressEvent.Stage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;
    private static final double ROW_BYTES = 128 * 4 + 8; // id + 128 floats

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now;

    private ProgressBar bar(boolean terminal) {
        return new ProgressBar(out, terminal, ROW_BYTES, () -> now);
    }

    private static ProgressEvent read(long done, long total) {
        return ProgressEvent.builder(Stage.READ).collection("docs").rows(done, total).message("").build();
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void terminalBarShowsRowsRateAndTimeLeft() {
        ProgressBar bar = bar(true);
        bar.onProgress(read(0, 1_000_000));
        now = 2 * SECOND;
        bar.onProgress(read(250_000, 1_000_000));

        String last = printed().substring(printed().lastIndexOf('\r') + 1);
        // 125,000 rows/s x 520 bytes = 65 MB/s; 750,000 rows left at 125,000 rows/s = 6 s
        assertThat(last).startsWith("READ     docs [#####               ]  25% 250000/1000000 rows")
                .contains("65.0 MB/s").contains("ETA 0:06");
        assertThat(printed()).doesNotContain("\n").doesNotContain("\u001b");
    }

    @Test
    void terminalBarRedrawsAtMostTenTimesASecondButAlwaysShowsTheEnd() {
        ProgressBar bar = bar(true);
        for (int i = 0; i <= 1000; i++) {
            now = i * 1_000_000L; // 1000 events within one second
            bar.onProgress(read(i, 1000));
        }
        bar.finish();

        long redraws = printed().chars().filter(c -> c == '\r').count();
        assertThat(redraws).isBetween(10L, 12L);
        assertThat(printed()).contains("100% 1000/1000 rows").endsWith(System.lineSeparator());
    }

    @Test
    void shorterRedrawBlanksTheRestOfTheLongerOne() {
        ProgressBar bar = bar(true);
        bar.onProgress(ProgressEvent.builder(Stage.IMPORT).collection("docs").rows(0, 10).message("a long note about file groups").build());
        now = SECOND;
        bar.onProgress(ProgressEvent.builder(Stage.IMPORT).collection("docs").rows(10, 10).message("").build());

        String[] draws = printed().split("\r");
        assertThat(draws[2]).hasSameSizeAs(draws[1]).endsWith(" ");
    }

    @Test
    void plainOutputIsAFewLinesPerStage() {
        ProgressBar bar = bar(false);
        for (int s = 0; s <= 25; s++) { // a 25 s stage with an event every second
            now = s * SECOND;
            bar.onProgress(read(s * 40_000L, 1_000_000));
        }
        now = 26 * SECOND;
        bar.onProgress(ProgressEvent.builder(Stage.IMPORT).collection("docs").rows(0, 1_000_000).message("2 file groups").build());
        bar.onProgress(ProgressEvent.builder(Stage.COMPLETE).collection("docs").rows(1_000_000, 1_000_000).message("checking row count").build());
        bar.onProgress(ProgressEvent.builder(Stage.DONE).collection("docs").rows(1_000_000, 1_000_000).message("").build());
        bar.finish();

        assertThat(printed().lines()).containsExactly(
                "READ     docs:   0% 0/1000000 rows",   // 40,000 rows/s x 520 bytes = 20.8 MB/s
                "READ     docs:  40% 400000/1000000 rows, 20.8 MB/s, ETA 0:15",
                "READ     docs:  80% 800000/1000000 rows, 20.8 MB/s, ETA 0:05",
                "READ     docs: 100% 1000000/1000000 rows, 20.8 MB/s",
                "IMPORT   docs:   0% 0/1000000 rows (2 file groups)",
                "COMPLETE docs: 100% 1000000/1000000 rows (checking row count)");
    }

    @Test
    void unknownTotalShowsRowsOnly() {
        var plain = new ProgressBar(out, false, 0, () -> now);
        plain.onProgress(read(0, -1));
        now = 10 * SECOND;
        plain.onProgress(read(5000, -1));

        assertThat(printed().lines()).containsExactly("READ     docs: 0 rows", "READ     docs: 5000 rows, 500 rows/s");
    }

    @Test
    void ratesKeepAFewDigits() {
        assertThat(ProgressBar.rate(65e6)).isEqualTo("65.0 MB/s");
        assertThat(ProgressBar.rate(2345e6)).isEqualTo("2345.0 MB/s");
        assertThat(ProgressBar.rate(12.5e9)).isEqualTo("12.5 GB/s");
        assertThat(ProgressBar.rate(36e3)).isEqualTo("36.0 kB/s");
    }

    @Test
    void durationsReadAsClockTimes() {
        assertThat(ProgressBar.duration(0)).isEqualTo("0:00");
        assertThat(ProgressBar.duration(61.4)).isEqualTo("1:01");
        assertThat(ProgressBar.duration(3 * 3600 + 5 * 60 + 7)).isEqualTo("3:05:07");
    }
}
