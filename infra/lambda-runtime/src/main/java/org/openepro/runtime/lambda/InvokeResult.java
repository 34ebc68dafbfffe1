package org.openepro.runtime.lambda;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One invocation as Lambda reports it: how it ended, the function's payload (its result, or the
 * error JSON), and the numbers of Lambda's {@code REPORT} line.
 *
 * @param payload        the response (SUCCEEDED) or Lambda's error JSON (every other status)
 * @param errorType      null when it succeeded; else the runtime's error type, {@code Sandbox.Timedout},
 *                       {@code Runtime.ExitError} or the init failure's type
 * @param duration       from the event's delivery to the runtime's answer (or to the timeout or exit)
 * @param initDuration   the instance's init when this invocation started it (a cold start), else null
 * @param maxMemoryUsedMb the instance's peak resident memory so far, 0 when the platform cannot tell
 */
public record InvokeResult(
        Status status,
        String requestId,
        byte[] payload,
        String errorType,
        Duration duration,
        Duration initDuration,
        int memorySizeMb,
        long maxMemoryUsedMb) {
    /** How an invocation ended. */
    public enum Status {
        /** The function answered. */
        SUCCEEDED,
        /** The function threw: the runtime posted its error. */
        FUNCTION_ERROR,
        /** The function ran past its Timeout: Lambda stopped the instance. */
        TIMED_OUT,
        /** The instance's process ended while it held the event. */
        CRASHED,
        /** No instance could be started: its init failed. */
        INIT_FAILED
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    public boolean coldStart() {
        return initDuration != null;
    }

    public String payloadText() {
        return payload == null ? "" : new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * Lambda's {@code REPORT} line: duration, billed duration (whole milliseconds; since August 2025
     * the init of a cold start is billed too), memory size, peak memory, the init of a cold start,
     * and the status when it did not succeed.
     */
    public String reportLine() {
        long billed = (long) Math.ceil(duration.toNanos() / 1e6)
                + (initDuration == null ? 0 : (long) Math.ceil(initDuration.toNanos() / 1e6));
        StringBuilder line = new StringBuilder("REPORT RequestId: ")
                .append(requestId)
                .append("\tDuration: ")
                .append(millis(duration))
                .append(" ms")
                .append("\tBilled Duration: ")
                .append(billed)
                .append(" ms")
                .append("\tMemory Size: ")
                .append(memorySizeMb)
                .append(" MB")
                .append("\tMax Memory Used: ")
                .append(maxMemoryUsedMb)
                .append(" MB");
        if (initDuration != null) {
            line.append("\tInit Duration: ").append(millis(initDuration)).append(" ms");
        }
        switch (status) {
            case TIMED_OUT -> line.append("\tStatus: timeout");
            case CRASHED, INIT_FAILED ->
                line.append("\tStatus: error\tError Type: ").append(errorType);
            default -> {}
        }
        return line.toString();
    }

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.2f", d.toNanos() / 1e6);
    }
}
