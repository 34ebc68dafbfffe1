package org.openepro.runtime.lambda;

import java.time.Duration;

/**
 * How an instance's init phase ended: ready (its runtime asked for the first event), failed (the
 * runtime reported an init error, or the process ended), or still running at the limit.
 *
 * @param duration  from the process's start to the runtime's first {@code invocation/next} (or to the failure)
 * @param errorType Lambda's error type when it failed ({@code Runtime.ExitError}, the runtime's own type)
 * @param errorBody the error JSON the runtime posted to {@code init/error}, or null
 */
public record InitResult(Status status, Duration duration, String errorType, String errorBody) {
    /** How init ended. */
    public enum Status {
        READY,
        FAILED,
        TIMED_OUT
    }

    public boolean ready() {
        return status == Status.READY;
    }

    /** Lambda's line for a failed init ({@code INIT_REPORT ... Status: error ...}). */
    public String reportLine() {
        return "INIT_REPORT Init Duration: %s ms\tPhase: init\tStatus: %s\tError Type: %s"
                .formatted(InvokeResult.millis(duration), status == Status.TIMED_OUT ? "timeout" : "error", errorType);
    }
}
