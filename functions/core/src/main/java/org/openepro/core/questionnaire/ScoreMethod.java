package org.openepro.core.questionnaire;

import java.util.Locale;

/** How a score is computed from answers. */
public enum ScoreMethod {
    /** Sum of the items' scores (choice ordinals or numbers), e.g. PHQ-9 total. */
    SUM,
    /** The single item's value, e.g. a pain rating. */
    VALUE,
    /** The items' levels concatenated in order, e.g. an EQ-5D-5L profile "11223". */
    PROFILE;

    public static ScoreMethod fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
