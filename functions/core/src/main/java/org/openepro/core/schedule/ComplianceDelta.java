package org.openepro.core.schedule;

/**
 * A change to compliance counters caused by one occurrence changing state. Each occurrence is
 * expected once: when it is first completed or first counted missed; a late answer to a missed
 * one moves it from missed to late (or on time, for an offline answer) without counting it again.
 */
public record ComplianceDelta(int expected, int onTime, int late, int missed) {
    public static final ComplianceDelta MISSED = new ComplianceDelta(1, 0, 0, 1);

    /** A completion of a pending occurrence ({@code wasMissed} false) or of a missed one. */
    public static ComplianceDelta completed(WindowVerdict verdict, boolean wasMissed) {
        int onTime = verdict == WindowVerdict.ON_TIME ? 1 : 0;
        int late = verdict == WindowVerdict.LATE ? 1 : 0;
        if (onTime + late != 1) {
            throw new IllegalArgumentException("only on-time and late answers complete an occurrence");
        }
        return wasMissed ? new ComplianceDelta(0, onTime, late, -1) : new ComplianceDelta(1, onTime, late, 0);
    }
}
