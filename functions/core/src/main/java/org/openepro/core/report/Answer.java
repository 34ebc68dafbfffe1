package org.openepro.core.report;

import java.math.BigDecimal;
import org.openepro.core.questionnaire.ItemType;

/**
 * One validated answer. {@code number} is the item's score: the option's ordinal for a choice,
 * the value for a number (a quantity's value, its unit in code/system/display). Text is
 * NFC-normalised; free text is flagged as possibly identifying. A repeating item has one Answer
 * per answer, in the order given.
 *
 * @param branchSkipped the item was not asked because its enableWhen disabled it, and is recorded as
 *                      the option the instrument scores such a skip as (PRO-CTCAE: 0, "not present";
 *                      CDISC's QSCBRFL) rather than as a patient's answer
 */
public record Answer(
        String linkId,
        ItemType type,
        BigDecimal number,
        String code,
        String system,
        String display,
        String text,
        Boolean bool,
        boolean branchSkipped) {

    public Answer(
            String linkId,
            ItemType type,
            BigDecimal number,
            String code,
            String system,
            String display,
            String text,
            Boolean bool) {
        this(linkId, type, number, code, system, display, text, bool, false);
    }

    public static Answer choice(String linkId, String system, String code, String display, BigDecimal ordinal) {
        return new Answer(linkId, ItemType.CHOICE, ordinal, code, system, display, null, null);
    }

    /** A coding answer of a choice or open-choice item. */
    public static Answer coding(
            String linkId, ItemType type, String system, String code, String display, BigDecimal ordinal) {
        return new Answer(linkId, type, ordinal, code, system, display, null, null);
    }

    /** The option a conditionally branched (skipped) item is recorded as. */
    public static Answer branchSkipped(
            String linkId, ItemType type, String system, String code, String display, BigDecimal ordinal) {
        return new Answer(linkId, type, ordinal, code, system, display, null, null, true);
    }

    public static Answer number(String linkId, ItemType type, BigDecimal value) {
        return new Answer(linkId, type, value, null, null, null, null, null);
    }

    public static Answer quantity(String linkId, BigDecimal value, String unit, String system, String code) {
        return new Answer(linkId, ItemType.QUANTITY, value, code, system, unit, null, null);
    }

    public static Answer text(String linkId, ItemType type, String text) {
        return new Answer(linkId, type, null, null, null, null, text, null);
    }

    public static Answer bool(String linkId, boolean value) {
        return new Answer(linkId, ItemType.BOOLEAN, null, null, null, null, null, value);
    }

    /** Free text may name or describe a person. */
    public boolean possiblyIdentifying() {
        return type.freeText() && text != null;
    }
}
