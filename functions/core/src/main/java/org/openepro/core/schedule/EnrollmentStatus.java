package org.openepro.core.schedule;

import java.util.Locale;

/** A subject's participation: only {@code ACTIVE} subjects get occurrences; a withdrawn subject's submissions are refused. */
public enum EnrollmentStatus {
    ACTIVE,
    PAUSED,
    WITHDRAWN;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
