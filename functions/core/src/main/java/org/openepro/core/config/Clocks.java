package org.openepro.core.config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The one clock factory: every function reads its clock here, once per container. On Lambda (the
 * template never sets these) it is the system's UTC clock. The local runtime may set, for a demo:
 * <ul>
 *   <li>{@code EPRO_CLOCK}: the instant the clock shows at the anchor, e.g. {@code 2026-03-28T18:00:00Z};</li>
 *   <li>{@code EPRO_CLOCK_RATE}: how many seconds pass per real second (default 1), e.g. 600;</li>
 *   <li>{@code EPRO_CLOCK_ANCHOR}: the real time (epoch milliseconds) at which it showed {@code EPRO_CLOCK};
 *       the local runtime sets it once for all the functions it starts, so separate processes agree
 *       on the time. Without it the anchor is when this clock was built.</li>
 * </ul>
 */
public final class Clocks {
    public static final String CLOCK = "EPRO_CLOCK";
    public static final String RATE = "EPRO_CLOCK_RATE";
    public static final String ANCHOR = "EPRO_CLOCK_ANCHOR";

    private Clocks() {}

    public static Clock fromEnv(Map<String, String> env) {
        String start = env.get(CLOCK);
        if (start == null || start.isBlank()) {
            return Clock.systemUTC();
        }
        Instant shown;
        try {
            shown = Instant.parse(start.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(CLOCK + " must be an ISO-8601 instant such as 2026-03-28T18:00:00Z", e);
        }
        double rate;
        try {
            rate = Double.parseDouble(Env.optional(env, RATE, "1").trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(RATE + " must be a number", e);
        }
        if (!(rate > 0) || rate > 100_000) {
            throw new IllegalStateException(RATE + " must be above 0 and at most 100000");
        }
        String anchor = env.get(ANCHOR);
        long anchorMillis =
                anchor == null || anchor.isBlank() ? System.currentTimeMillis() : Long.parseLong(anchor.trim());
        return new Accelerated(Clock.systemUTC(), Instant.ofEpochMilli(anchorMillis), shown, rate);
    }

    /** Shows {@code shownAtAnchor} at {@code anchor} and runs {@code rate} times faster than {@code real}. */
    public static final class Accelerated extends Clock {
        private final Clock real;
        private final Instant anchor;
        private final Instant shownAtAnchor;
        private final double rate;

        public Accelerated(Clock real, Instant anchor, Instant shownAtAnchor, double rate) {
            this.real = real;
            this.anchor = anchor;
            this.shownAtAnchor = shownAtAnchor;
            this.rate = rate;
        }

        public double rate() {
            return rate;
        }

        @Override
        public Instant instant() {
            long elapsedNanos = Duration.between(anchor, real.instant()).toNanos();
            return shownAtAnchor.plusNanos((long) (elapsedNanos * rate));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            if (zone.equals(ZoneOffset.UTC)) {
                return this;
            }
            throw new UnsupportedOperationException("the accelerated clock is UTC; convert instants instead");
        }
    }
}
