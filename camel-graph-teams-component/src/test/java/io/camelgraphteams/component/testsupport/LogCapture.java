package io.camelgraphteams.component.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Records every log event while open: log4j2 (the test logging backend, behind SLF4J, where Camel, Vert.x, Netty and
 * msal4j log) and, on request, java.util.logging (where the JDK's HttpURLConnection and HttpClient log). Each event keeps
 * everything a layout could print: the formatted message, the pattern, every parameter, the thrown stack trace, the MDC
 * and the marker.
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start()) {
 *     ...
 *     assertThat(logs.events(e -> e.isAbove(Level.WARN))).isEmpty();
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    /** One captured event, every part as text. */
    public record Event(String backend, String level, int severity, String logger, String thread, String message,
                        String pattern, List<String> parameters, String thrown, Map<String, String> context,
                        String marker) {

        /** Everything the event carries, joined: what any layout could write. */
        public String everything() {
            return String.join("\n", List.of(logger, thread, message, pattern, String.join("\n", parameters),
                    thrown == null ? "" : thrown, context.toString(), marker == null ? "" : marker));
        }

        /** Whether the event is more severe than {@code level} (log4j ordering: ERROR above WARN above INFO). */
        public boolean isAbove(Level level) {
            return severity < level.intLevel();
        }

        public boolean isAtLeast(Level level) {
            return severity <= level.intLevel();
        }

        public boolean hasThrown() {
            return thrown != null;
        }

        @Override
        public String toString() {
            return level + " " + logger + " - " + message + (thrown == null ? "" : "\n" + thrown);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final LoggerContext context;
    private final Appender appender;
    private final List<LoggerConfig> attachedTo = new ArrayList<>();
    private Handler julHandler;
    private java.util.logging.Level julRootLevel;
    private boolean levelsChanged;

    private LogCapture() {
        this.context = (LoggerContext) LogManager.getContext(false);
        String name = "capture-" + UUID.randomUUID();
        this.appender = new AbstractAppender(name, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                events.add(fromLog4j(event));
            }
        };
    }

    /** Starts recording log4j2 events at the levels the configuration already enables. */
    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.attach();
        return capture;
    }

    private synchronized void attach() {
        appender.start();
        Configuration configuration = context.getConfiguration();
        configuration.addAppender(appender);
        // events of additive loggers reach the root's appenders; non-additive ones need the appender themselves
        LoggerConfig root = configuration.getRootLogger();
        root.addAppender(appender, null, null);
        attachedTo.add(root);
        for (LoggerConfig logger : configuration.getLoggers().values()) {
            if (logger != root && !logger.isAdditive()) {
                logger.addAppender(appender, null, null);
                attachedTo.add(logger);
            }
        }
        context.updateLoggers();
    }

    /**
     * Sets every log4j2 logger, and the root, to TRACE until {@link #close()} restores the configuration. Meanwhile the
     * configured appenders (the test log file, the console) are detached: the firehose, secrets a test provokes
     * included, goes to this capture only, never into the log file other tests read.
     */
    public synchronized LogCapture everythingAtTrace() {
        levelsChanged = true;
        Configuration configuration = context.getConfiguration();
        List<LoggerConfig> loggers = new ArrayList<>(configuration.getLoggers().values());
        loggers.add(configuration.getRootLogger());
        for (LoggerConfig logger : loggers) {
            for (String name : List.copyOf(logger.getAppenders().keySet())) {
                if (!name.equals(appender.getName())) {
                    logger.removeAppender(name);
                }
            }
        }
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.TRACE);
        return this;
    }

    /** Records java.util.logging as well, with its root logger at ALL, until {@link #close()}. */
    public synchronized LogCapture includingJavaUtilLogging() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        julRootLevel = root.getLevel();
        julHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                events.add(fromJul(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        julHandler.setLevel(java.util.logging.Level.ALL);
        root.addHandler(julHandler);
        root.setLevel(java.util.logging.Level.ALL);
        return this;
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public List<Event> events(Predicate<Event> filter) {
        return events.stream().filter(filter).toList();
    }

    public void clear() {
        events.clear();
    }

    @Override
    public synchronized void close() {
        for (LoggerConfig logger : attachedTo) {
            logger.removeAppender(appender.getName());
        }
        attachedTo.clear();
        if (julHandler != null) {
            java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
            root.removeHandler(julHandler);
            root.setLevel(julRootLevel);
            julHandler = null;
        }
        if (levelsChanged) {
            // back to the levels and appenders of log4j2-test.properties
            context.reconfigure();
        } else {
            context.updateLoggers();
        }
        appender.stop();
    }

    private static Event fromLog4j(LogEvent event) {
        org.apache.logging.log4j.message.Message message = event.getMessage();
        List<String> parameters = new ArrayList<>();
        Object[] raw = message.getParameters();
        if (raw != null) {
            for (Object parameter : raw) {
                parameters.add(String.valueOf(parameter));
            }
        }
        Map<String, String> context = event.getContextData() == null ? Map.of() : Map.copyOf(event.getContextData().toMap());
        return new Event("log4j2", event.getLevel().name(), event.getLevel().intLevel(), event.getLoggerName(),
                event.getThreadName(), message.getFormattedMessage(), String.valueOf(message.getFormat()),
                List.copyOf(parameters), stackTrace(event.getThrown()), context,
                event.getMarker() == null ? null : event.getMarker().toString());
    }

    private static Event fromJul(LogRecord record) {
        List<String> parameters = new ArrayList<>();
        if (record.getParameters() != null) {
            for (Object parameter : record.getParameters()) {
                parameters.add(String.valueOf(parameter));
            }
        }
        String formatted;
        try {
            formatted = new java.util.logging.SimpleFormatter().formatMessage(record);
        } catch (RuntimeException e) {
            formatted = String.valueOf(record.getMessage());
        }
        return new Event("jul", record.getLevel().getName(), julSeverity(record.getLevel()), record.getLoggerName(),
                String.valueOf(record.getLongThreadID()), formatted, String.valueOf(record.getMessage()),
                List.copyOf(parameters), stackTrace(record.getThrown()), Map.of(), null);
    }

    /** JUL levels on log4j's scale, so isAbove works on both. */
    private static int julSeverity(java.util.logging.Level level) {
        int value = level.intValue();
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return Level.ERROR.intLevel();
        }
        if (value >= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARN.intLevel();
        }
        if (value >= java.util.logging.Level.INFO.intValue()) {
            return Level.INFO.intLevel();
        }
        if (value >= java.util.logging.Level.FINE.intValue()) {
            return Level.DEBUG.intLevel();
        }
        return Level.TRACE.intLevel();
    }

    private static String stackTrace(Throwable thrown) {
        if (thrown == null) {
            return null;
        }
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
