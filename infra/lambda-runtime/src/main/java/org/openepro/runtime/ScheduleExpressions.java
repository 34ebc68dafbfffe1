package org.openepro.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads EventBridge schedule expressions: {@code rate(...)} runs locally; {@code cron(...)} and {@code at(...)} do not. */
public final class ScheduleExpressions {
    private static final Pattern RATE =
            Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");

    private ScheduleExpressions() {}

    /**
     * The interval of a {@code rate(n unit)} expression; empty for {@code cron(...)} and
     * {@code at(...)}, which the local runtime does not run.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Optional<Duration> rate(String expression) {
        String e = expression == null ? "" : expression.strip().toLowerCase(Locale.ROOT);
        if (e.startsWith("cron(") || e.startsWith("at(")) {
            return Optional.empty();
        }
        Matcher m = RATE.matcher(e);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a schedule expression: " + expression);
        }
        long n = Long.parseLong(m.group(1));
        if (n < 1) {
            throw new IllegalArgumentException("a rate must be at least 1: " + expression);
        }
        return Optional.of(
                switch (m.group(2)) {
                    case "minute", "minutes" -> Duration.ofMinutes(n);
                    case "hour", "hours" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
    }
}
