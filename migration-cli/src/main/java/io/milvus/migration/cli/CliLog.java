package io.milvus.migration.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import org.slf4j.event.Level;

/**
 * Where the library's log lines go while the command line runs: appended to a log file (opened on the first line,
 * its directory created) or written to a console stream. Process-wide by nature, like SLF4J itself; only the
 * command line sets it. Until {@link #toFile} or {@link #toConsole} is called, lines go to {@code System.err}.
 * Also takes over {@code java.util.logging} (gRPC, Google Cloud and commons-logging write there), so that nothing
 * reaches the console that was not asked for.
 */
final class CliLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Object LOCK = new Object();

    // guarded by LOCK
    private static PrintStream console;       // lines go here when file is null; null means System.err
    private static Path file;
    private static String header;             // written before the first line of a run in the file
    private static OutputStream fileOut;
    private static int warnings;

    private CliLog() {
    }

    /** Lines at {@code level} and above are written; INFO for now (the file is where one looks when in doubt). */
    static boolean enabled(Level level) {
        return level.toInt() >= Level.INFO.toInt();
    }

    /** From now on, lines are appended to {@code logFile}, starting with {@code runHeader}. */
    static void toFile(Path logFile, String runHeader, PrintStream fallback) {
        synchronized (LOCK) {
            closeFile();
            file = logFile;
            header = runHeader;
            console = fallback;
            warnings = 0;
        }
        bridgeJul();
    }

    /** From now on, lines are written to {@code stream}. */
    static void toConsole(PrintStream stream) {
        synchronized (LOCK) {
            closeFile();
            console = stream;
            warnings = 0;
        }
        bridgeJul();
    }

    /** Closes the log file, if one is open; later lines go to {@code System.err}. */
    static void reset() {
        synchronized (LOCK) {
            closeFile();
            console = null;
        }
    }

    /** Warnings and errors written since the last {@link #toFile} or {@link #toConsole}. */
    static int warnings() {
        synchronized (LOCK) {
            return warnings;
        }
    }

    static void write(Level level, String logger, String message, Throwable thrown) {
        if (!enabled(level)) {
            return;
        }
        var line = new StringBuilder(128).append(LocalDateTime.now().format(TIME)).append(' ')
                .append(String.format("%-5s", level)).append(" [").append(Thread.currentThread().getName())
                .append("] ").append(logger).append(" - ").append(message).append(System.lineSeparator());
        if (thrown != null) {
            var trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        synchronized (LOCK) {
            if (level.toInt() >= Level.WARN.toInt()) {
                warnings++;
            }
            if (file != null && open()) {
                try {
                    fileOut.write(line.toString().getBytes(StandardCharsets.UTF_8));
                    fileOut.flush(); // a crash or kill must not lose the last lines
                    return;
                } catch (IOException e) {
                    fallBack(e);
                }
            }
            PrintStream out = console != null ? console : System.err;
            out.print(line);
            out.flush();
        }
    }

    /** Opens the file on first use; on failure says so once on the console and leaves the file. */
    private static boolean open() {
        if (fileOut != null) {
            return true;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            fileOut = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            if (header != null) {
                fileOut.write((header + System.lineSeparator()).getBytes(StandardCharsets.UTF_8));
            }
            return true;
        } catch (IOException e) {
            fallBack(e);
            return false;
        }
    }

    private static void fallBack(IOException e) {
        PrintStream out = console != null ? console : System.err;
        out.println("cannot write log file " + file + " (" + e.getMessage() + "); logging to the console");
        closeFile();
    }

    private static void closeFile() {
        if (fileOut != null) {
            try {
                fileOut.close();
            } catch (IOException ignored) {
                // nothing left to tell: the lines were flushed as they were written
            }
        }
        fileOut = null;
        file = null;
    }

    /** Replaces java.util.logging's console handler with one writing here. */
    private static void bridgeJul() {
        LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.INFO);
        root.addHandler(new JulHandler());
    }

    private static final class JulHandler extends Handler {
        private final java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            int v = r.getLevel().intValue();
            Level level = v >= java.util.logging.Level.SEVERE.intValue() ? Level.ERROR
                    : v >= java.util.logging.Level.WARNING.intValue() ? Level.WARN
                    : v >= java.util.logging.Level.INFO.intValue() ? Level.INFO
                    : v >= java.util.logging.Level.FINE.intValue() ? Level.DEBUG : Level.TRACE;
            write(level, r.getLoggerName() == null ? "" : r.getLoggerName(), formatter.formatMessage(r),
                    r.getThrown());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
