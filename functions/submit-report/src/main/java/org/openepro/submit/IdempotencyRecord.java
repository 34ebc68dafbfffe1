package org.openepro.submit;

/**
 * The stored outcome of a submission under one idempotency key (scoped to the subject).
 * IN_PROGRESS: the report is stored and its deliveries are not yet confirmed; COMPLETED: done.
 */
public record IdempotencyRecord(
        String key, String status, String payloadHash, String reportId, int version, String receipt) {
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String COMPLETED = "COMPLETED";

    public boolean completed() {
        return COMPLETED.equals(status);
    }
}
