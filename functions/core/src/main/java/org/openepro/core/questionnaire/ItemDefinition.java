package org.openepro.core.questionnaire;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** One item of a questionnaire: what it asks, the answer type and the values it allows. */
public record ItemDefinition(String linkId, String prefix, String text, String code, ItemType type, boolean required,
                             List<AnswerOption> options, BigDecimal minValue, BigDecimal maxValue, Integer maxLength,
                             List<ItemDefinition> children) {
    public ItemDefinition {
        options = List.copyOf(options);
        children = List.copyOf(children);
    }

    /** The option with this code (and system, when the answer names one). */
    public Optional<AnswerOption> option(String system, String code) {
        for (AnswerOption o : options) {
            if (o.code().equals(code) && (system == null || system.equals(o.system()))) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
