package org.openepro.core.schedule;

import java.time.Instant;

/** When an occurrence may be answered: from {@code opens} (inclusive) to {@code closes} (exclusive). */
public record Window(Instant opens, Instant closes) {
    public Window {
        if (!opens.isBefore(closes)) {
            throw new IllegalArgumentException("a window closes after it opens");
        }
    }

    public boolean contains(Instant t) {
        return !t.isBefore(opens) && t.isBefore(closes);
    }

    public boolean overlaps(Window other) {
        return opens.isBefore(other.closes) && other.opens.isBefore(closes);
    }
}
