package org.openepro.alert;

/** Where an alert stands with the nurse-alerts topic: claimed under a lease, then published. */
public enum PublishState {
    PUBLISHING,
    PUBLISHED
}
