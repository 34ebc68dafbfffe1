package org.openepro.core.questionnaire;

import java.util.Locale;

/** What an alert rule compares against its threshold. */
public enum RuleKind {
    /** Any of the listed items' scores (choice ordinal or number). */
    ANSWER,
    /** A score of the questionnaire. */
    SCORE,
    /** For any listed item: this report's score minus the subject's previous report's score. */
    WORSENING;

    public static RuleKind fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
