package org.openepro.alert;

/** Where an alert stands with the care team. */
public enum AlertStatus {
    OPEN,
    ACKNOWLEDGED
}
