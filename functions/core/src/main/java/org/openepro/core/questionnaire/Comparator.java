package org.openepro.core.questionnaire;

import java.math.BigDecimal;
import java.util.Locale;

/** The comparison an alert rule makes: value OP threshold. */
public enum Comparator {
    GT,
    GE,
    LT,
    LE,
    EQ;

    public static Comparator fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    public boolean test(BigDecimal value, BigDecimal threshold) {
        int c = value.compareTo(threshold);
        return switch (this) {
            case GT -> c > 0;
            case GE -> c >= 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case EQ -> c == 0;
        };
    }
}
