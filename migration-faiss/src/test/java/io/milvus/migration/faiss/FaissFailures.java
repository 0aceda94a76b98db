package io.milvus.migration.faiss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.milvus.migration.MigrationException;
import io.milvus.migration.spi.Split;
import io.milvus.migration.spi.SplitReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Helpers of the error tests: reading a bad file through every {@link FaissInput}, finding bytes in a file. */
final class FaissFailures {
    private static final Duration LIMIT = Duration.ofSeconds(10);

    private FaissFailures() {
    }

    /**
     * Builds the source over {@code file} and reads every split, expecting a MigrationException within the time
     * limit; does the same through storage (local and remote double) and expects the same code and message, naming
     * the storage and key instead of the path. Returns the error of {@code file(...)}.
     */
    static MigrationException failure(Path file, long splitBytes) {
        MigrationException fromFile = failure(FaissInput.FILE, file, splitBytes);
        for (FaissInput input : new FaissInput[] {FaissInput.LOCAL_STORAGE, FaissInput.REMOTE}) {
            MigrationException e = failure(input, file, splitBytes);
            assertThat(e.code()).as("%s through %s: %s", file, input, e.getMessage()).isEqualTo(fromFile.code());
            assertThat(e.getMessage()).as("through %s", input)
                    .isEqualTo(fromFile.getMessage().replace(file.toString(), input.name(file)));
        }
        return fromFile;
    }

    static MigrationException failure(FaissInput input, Path file, long splitBytes) {
        Throwable thrown = assertTimeoutPreemptively(LIMIT, () -> {
            try (FaissSource source = input.builder(file).splitBytes(splitBytes).build()) {
                for (Split split : source.splits(source.collections().get(0))) {
                    try (SplitReader reader = source.open(split)) {
                        while (reader.next(1000).isPresent()) {
                            // read through
                        }
                    }
                }
                return null;
            } catch (Throwable t) {
                return t;
            }
        }, () -> "no failure within " + LIMIT + " for " + file + " through " + input);
        assertThat(thrown).as("reading %s through %s", file, input).isNotNull()
                .isExactlyInstanceOf(MigrationException.class);
        return (MigrationException) thrown;
    }

    /** The first index of {@code ascii} in {@code bytes}; fails if absent. */
    static int indexOf(byte[] bytes, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(ascii + " not found");
    }
}
