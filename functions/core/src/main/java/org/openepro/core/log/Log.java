package org.openepro.core.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Locale;

/**
 * The one logger: a JSON object a line on stdout, which Lambda's JSON log format keeps as is.
 *
 * <p>What may be logged is narrow on purpose: an event name and key/value pairs of ids, counts,
 * codes and durations. Never payloads, answers, claims, headers or the environment. Exceptions
 * are logged by type and stack frames only: their messages can quote the input that caused them.
 */
public final class Log {
    /** Levels in Lambda's order; the threshold comes from {@code AWS_LAMBDA_LOG_LEVEL}. */
    public enum Level {
        TRACE,
        DEBUG,
        INFO,
        WARN,
        ERROR,
        FATAL
    }

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ThreadLocal<RequestIds> REQUEST_IDS = new ThreadLocal<>();
    private static volatile Level threshold = parse(System.getenv("AWS_LAMBDA_LOG_LEVEL"));
    private static volatile PrintStream out = System.out;

    private final String logger;

    private Log(String logger) {
        this.logger = logger;
    }

    public static Log get(Class<?> owner) {
        return new Log(owner.getSimpleName());
    }

    /**
     * The ids that tag every line of one invocation: Lambda's request id ({@code requestId}, the one
     * Lambda's own START/END/REPORT lines carry) and, for an HTTP API request, API Gateway's
     * ({@code apiRequestId}, the one in the API's access log and in its error responses).
     */
    public record RequestIds(String requestId, String apiRequestId) {}

    /** Tags the current thread's log lines with the Lambda request id. */
    public static void requestId(String requestId) {
        requestIds(requestId, null);
    }

    /** Tags the current thread's log lines with Lambda's request id and API Gateway's. */
    public static void requestIds(String requestId, String apiRequestId) {
        if (requestId == null && apiRequestId == null) {
            REQUEST_IDS.remove();
        } else {
            REQUEST_IDS.set(new RequestIds(requestId, apiRequestId));
        }
    }

    /** The current thread's ids, to hand to the threads that work for the same invocation; null when none. */
    public static RequestIds currentRequestIds() {
        return REQUEST_IDS.get();
    }

    /** Tags this thread with ids taken from {@link #currentRequestIds()} on another (null clears them). */
    public static void requestIds(RequestIds ids) {
        if (ids == null) {
            REQUEST_IDS.remove();
        } else {
            REQUEST_IDS.set(ids);
        }
    }

    /** For tests and the local runtime: where lines go. */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    public static void threshold(Level level) {
        threshold = level;
    }

    public boolean enabled(Level level) {
        return level.ordinal() >= threshold.ordinal();
    }

    public void debug(String event, Object... keyValues) {
        write(Level.DEBUG, event, null, keyValues);
    }

    public void info(String event, Object... keyValues) {
        write(Level.INFO, event, null, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        write(Level.WARN, event, null, keyValues);
    }

    /** A warning with the type and stack frames of what caused it (never its message). */
    public void warn(String event, Throwable cause, Object... keyValues) {
        write(Level.WARN, event, cause, keyValues);
    }

    public void error(String event, Throwable error, Object... keyValues) {
        write(Level.ERROR, event, error, keyValues);
    }

    private void write(Level level, String event, Throwable error, Object[] keyValues) {
        if (!enabled(level)) {
            return;
        }
        StringWriter buffer = new StringWriter(160);
        try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("timestamp", Instant.now().toString());
            g.writeStringField("level", level.name());
            g.writeStringField("logger", logger);
            g.writeStringField("message", event);
            RequestIds ids = REQUEST_IDS.get();
            if (ids != null) {
                if (ids.requestId() != null) {
                    g.writeStringField("requestId", ids.requestId());
                }
                if (ids.apiRequestId() != null) {
                    g.writeStringField("apiRequestId", ids.apiRequestId());
                }
            }
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                String key = String.valueOf(keyValues[i]);
                Object value = keyValues[i + 1];
                if (value == null) {
                    continue;
                }
                if (value instanceof Number n) {
                    if (n instanceof Double || n instanceof Float) {
                        g.writeNumberField(key, n.doubleValue());
                    } else {
                        g.writeNumberField(key, n.longValue());
                    }
                } else if (value instanceof Boolean b) {
                    g.writeBooleanField(key, b);
                } else {
                    g.writeStringField(key, value.toString());
                }
            }
            if (error != null) {
                g.writeStringField("errorType", error.getClass().getName());
                g.writeArrayFieldStart("stackTrace");
                int frames = 0;
                for (Throwable t = error; t != null && frames < 40; t = t.getCause()) {
                    if (t != error) {
                        g.writeString("caused by " + t.getClass().getName());
                    }
                    for (StackTraceElement frame : t.getStackTrace()) {
                        if (frames++ >= 40) {
                            break;
                        }
                        g.writeString(frame.toString());
                    }
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            return; // a StringWriter does not fail
        }
        PrintStream stream = out;
        synchronized (stream) {
            stream.println(buffer);
        }
    }

    private static Level parse(String value) {
        if (value == null || value.isBlank()) {
            return Level.INFO;
        }
        try {
            return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Level.INFO;
        }
    }
}
