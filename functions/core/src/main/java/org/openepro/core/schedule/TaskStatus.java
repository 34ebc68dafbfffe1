package org.openepro.core.schedule;

/** FHIR R4 {@code Task.status} as the app sees an occurrence (a missed window is {@code failed}). */
public enum TaskStatus {
    REQUESTED("requested"),
    IN_PROGRESS("in-progress"),
    COMPLETED("completed"),
    CANCELLED("cancelled"),
    FAILED("failed");

    private final String code;

    TaskStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
