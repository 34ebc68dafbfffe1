package org.openepro.core.report;

import java.math.BigDecimal;

/** A computed score: a number (with its published band, when the instrument has bands) or a profile string. */
public record Score(String id, BigDecimal value, String profile, String band, String bandDisplay) {
    public static Score numeric(String id, BigDecimal value, String band, String bandDisplay) {
        return new Score(id, value, null, band, bandDisplay);
    }

    public static Score profile(String id, String profile) {
        return new Score(id, null, profile, null, null);
    }
}
