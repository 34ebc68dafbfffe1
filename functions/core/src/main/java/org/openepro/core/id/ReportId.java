package org.openepro.core.id;

/** A report id: a UUID (version 7, time-ordered), in its canonical lower-case form. */
public record ReportId(String value) {
    public ReportId {
        if (!Ids.isUuid(value)) {
            throw new IllegalArgumentException("not a valid report id");
        }
        value = Ids.uuid(value).orElseThrow();
    }

    public static ReportId of(String value) {
        return new ReportId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
