package org.openepro.export.format;

/** A format's hard limit was reached (e.g. an xlsx sheet's row count): the export fails with this reason. */
public final class ExportLimitException extends RuntimeException {
    private final String reason;

    public ExportLimitException(String reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    /** A stable code for the job's failure reason. */
    public String reason() {
        return reason;
    }
}
