package org.openepro.core.questionnaire;

/** A published severity band of a score, inclusive on both ends. */
public record ScoreBand(int min, int max, String code, String display) {
    public boolean contains(java.math.BigDecimal value) {
        return value.compareTo(java.math.BigDecimal.valueOf(min)) >= 0
                && value.compareTo(java.math.BigDecimal.valueOf(max)) <= 0;
    }
}
