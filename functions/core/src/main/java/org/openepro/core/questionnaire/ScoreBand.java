package org.openepro.core.questionnaire;

import java.math.BigDecimal;

/** A published severity band of a score, inclusive on both ends. */
public record ScoreBand(int min, int max, String code, String display) {
    public boolean contains(BigDecimal value) {
        return value.compareTo(BigDecimal.valueOf(min)) >= 0 && value.compareTo(BigDecimal.valueOf(max)) <= 0;
    }
}
