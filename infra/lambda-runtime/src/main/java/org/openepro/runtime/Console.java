package org.openepro.runtime;

import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The local runtime's own lines for the developer at the terminal (startup, requests, batches,
 * alerts): human-readable, ids and counts only, never bodies, tokens' claims or answers.
 * The handlers' JSON log lines go to the same stream, as they would to CloudWatch.
 */
public final class Console {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintStream out;
    private final Clock clock;

    public Console(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    public PrintStream stream() {
        return out;
    }

    /** One timestamped line. */
    public void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(format, args);
        String stamp = LocalTime.now(clock.withZone(ZoneId.systemDefault())).format(TIME);
        synchronized (out) {
            out.println(stamp + "  " + text);
        }
    }

    /**
     * An error by type and stack frames only: an exception's message can quote the input that
     * caused it, so it is not printed (the project's logging rule, kept locally too).
     */
    public void error(String what, Throwable error) {
        StringBuilder text =
                new StringBuilder(what).append(": ").append(error.getClass().getName());
        int frames = 0;
        for (Throwable t = error; t != null && frames < 12; t = t.getCause()) {
            if (t != error) {
                text.append("\n      caused by ").append(t.getClass().getName());
            }
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frames++ >= 12) {
                    break;
                }
                text.append("\n        at ").append(frame);
            }
        }
        line("%s", text);
    }

    /** Text as is (banners, tokens to copy). */
    public void raw(String text) {
        synchronized (out) {
            out.println(text);
        }
    }
}
