package org.openepro.core.questionnaire;

/** Clinical urgency of an alert, highest first. */
public enum Severity {
    URGENT,
    HIGH,
    MEDIUM,
    LOW
}
