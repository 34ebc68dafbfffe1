package org.openepro.core.schedule;

/**
 * What is stored about an occurrence. Whether a pending one is upcoming, open or past its close is
 * a matter of the clock and its window, so it is derived when read ({@link Occurrence#phase}),
 * never written: a window opening costs no write.
 */
public enum OccurrenceStatus {
    PENDING,
    COMPLETED,
    MISSED,
    CANCELLED
}
