package io.milvus.migration.cli;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The command line's SLF4J binding, found by {@link java.util.ServiceLoader}: every logger writes through
 * {@link CliLog}, which the command routes to the log file or, with {@code --verbose}, to the console. A binding of
 * our own (instead of slf4j-simple) because the destination is chosen per run after the arguments are read, and the
 * file is appended to rather than truncated.
 */
public final class CliLogProvider implements SLF4JServiceProvider {
    private final ILoggerFactory loggers = CliLogger::new;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    /** Called by {@link java.util.ServiceLoader}. */
    public CliLogProvider() {
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    /** One named logger; the level check and the output are {@link CliLog}'s. */
    private static final class CliLogger extends LegacyAbstractLogger {
        private static final long serialVersionUID = 1L;

        CliLogger(String name) {
            this.name = name;
        }

        @Override
        public boolean isTraceEnabled() {
            return CliLog.enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return CliLog.enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return CliLog.enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return CliLog.enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return CliLog.enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                                   Throwable thrown) {
            CliLog.write(level, name, MessageFormatter.basicArrayFormat(pattern, args), thrown);
        }
    }
}
