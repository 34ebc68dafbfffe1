package org.openepro.core.audit;

/** What an audit event is about; the code is what the audit table and the canonical JSON hold. */
public enum EntityType {
    REPORT("report"),
    EXPORT("export"),
    ALERT("alert"),
    SUBJECT("subject"),
    QUESTIONNAIRE("questionnaire"),
    STUDY("study"),
    PROTOCOL("protocol");

    private final String code;

    EntityType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
