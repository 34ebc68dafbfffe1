package org.openepro.core.report;

import java.math.BigDecimal;
import org.openepro.core.questionnaire.ItemType;

/**
 * One validated answer. {@code number} is the item's score: the option's ordinal for a choice,
 * the value for a number. Text is NFC-normalised; free text is flagged as possibly identifying.
 */
public record Answer(String linkId, ItemType type, BigDecimal number, String code, String system, String display,
                     String text, Boolean bool) {

    public static Answer choice(String linkId, String system, String code, String display, BigDecimal ordinal) {
        return new Answer(linkId, ItemType.CHOICE, ordinal, code, system, display, null, null);
    }

    public static Answer number(String linkId, ItemType type, BigDecimal value) {
        return new Answer(linkId, type, value, null, null, null, null, null);
    }

    public static Answer text(String linkId, ItemType type, String text) {
        return new Answer(linkId, type, null, null, null, null, text, null);
    }

    public static Answer bool(String linkId, boolean value) {
        return new Answer(linkId, ItemType.BOOLEAN, null, null, null, null, null, value);
    }

    /** Free text may name or describe a person. */
    public boolean possiblyIdentifying() {
        return type.freeText();
    }
}
