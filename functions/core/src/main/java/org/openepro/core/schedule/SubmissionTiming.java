package org.openepro.core.schedule;

import java.time.Duration;
import java.time.Instant;

/**
 * The window verdict of one submission, from both clocks a report keeps: {@code authored} (the
 * device's time, with its offset) and {@code receivedAt} (the server's).
 *
 * <p><b>Rules</b> (documented in functions/schedule/README.md):
 * <ol>
 *   <li>Received inside the window: on time, whatever the device says (the server saw it in time).</li>
 *   <li>Received before the window opens: early.</li>
 *   <li>Received after the window closed: on time if the device clock is plausible and {@code authored}
 *       is inside the window (an offline patient who answered in time and synced later); early if
 *       plausible and authored before the window; late otherwise.</li>
 *   <li>The device clock is plausible when {@code authored} is at most {@link #CLOCK_SKEW} after
 *       {@code receivedAt} (no answer comes from the future) and at most {@link #MAX_OFFLINE} before
 *       it (a phone offline for longer than a week is not believed). An implausible clock is
 *       ignored: the verdict then rests on {@code receivedAt} alone.</li>
 * </ol>
 */
public final class SubmissionTiming {
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Duration MAX_OFFLINE = Duration.ofDays(7);

    private SubmissionTiming() {}

    public static boolean plausible(Instant authoredAt, Instant receivedAt) {
        return !authoredAt.isAfter(receivedAt.plus(CLOCK_SKEW)) && !authoredAt.isBefore(receivedAt.minus(MAX_OFFLINE));
    }

    /** When the patient is taken to have answered: {@code authored} if plausible, else {@code receivedAt}. */
    public static Instant answeredAt(Instant authoredAt, Instant receivedAt) {
        return plausible(authoredAt, receivedAt) ? authoredAt : receivedAt;
    }

    public static WindowVerdict verdict(Window window, Instant authoredAt, Instant receivedAt) {
        if (window.contains(receivedAt)) {
            return WindowVerdict.ON_TIME;
        }
        if (receivedAt.isBefore(window.opens())) {
            return WindowVerdict.EARLY;
        }
        if (plausible(authoredAt, receivedAt)) {
            if (window.contains(authoredAt)) {
                return WindowVerdict.ON_TIME;
            }
            if (authoredAt.isBefore(window.opens())) {
                return WindowVerdict.EARLY;
            }
        }
        return WindowVerdict.LATE;
    }
}
