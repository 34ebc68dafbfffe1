package org.openepro.core.questionnaire;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One allowed answer of a choice item (an answerOption valueCoding). {@code ordinal} is its score
 * (FHIR ordinalValue, or the SDC itemWeight), null when the instrument publishes none.
 *
 * @param displays the display in each translation language (FHIR translation extension)
 */
public record AnswerOption(
        String system,
        String code,
        String display,
        BigDecimal ordinal,
        boolean initialSelected,
        Map<String, String> displays) {
    public AnswerOption {
        displays = Map.copyOf(displays);
    }

    public AnswerOption(String system, String code, String display, BigDecimal ordinal) {
        this(system, code, display, ordinal, false, Map.of());
    }

    /** The display in {@code language}; the base display when there is no translation. */
    public String display(String language) {
        return language == null ? display : displays.getOrDefault(language, display);
    }

    public Value.Coding coding() {
        return new Value.Coding(system, code, display);
    }
}
