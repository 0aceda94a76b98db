package io.milvus.migration.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The built CLI jar run as a user runs it: {@code java -jar} in a process of its own. */
final class CliJar {
    static final Path JAR = Path.of("target/migration-cli.jar");

    private CliJar() {
    }

    /** Starts it in {@code dir} with its output to {@code log} (a pipe nobody reads could stall it). */
    static Process start(Path dir, Path log, String... args) throws IOException {
        var cmd = new ArrayList<>(List.of("java", "-jar", JAR.toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }
}
