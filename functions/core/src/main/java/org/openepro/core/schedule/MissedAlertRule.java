package org.openepro.core.schedule;

import org.openepro.core.questionnaire.Severity;

/**
 * Which pattern of missed windows raises a nurse alert: {@code consecutive} misses in a row of one
 * schedule entry raise one alert of {@code severity}, when the run reaches that length (a longer
 * run raises nothing more; a completed occurrence ends the run). {@link #NONE} raises nothing.
 */
public record MissedAlertRule(int consecutive, Severity severity) {
    public static final MissedAlertRule NONE = new MissedAlertRule(0, null);

    public boolean enabled() {
        return consecutive > 0;
    }
}
