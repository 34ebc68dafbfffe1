package org.openepro.core.questionnaire;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which items of a questionnaire are enabled for a set of answers, following FHIR R4's
 * Questionnaire.item.enableWhen exactly: an item is enabled when its enableWhen conditions hold
 * (all or any of them, per enableBehavior); a disabled item disables all of its descendants; and a
 * condition on a disabled question proceeds as though that question were not valued.
 */
public final class Enablement {
    private final Map<String, ItemDefinition> items = new HashMap<>();
    private final Map<String, ItemDefinition> parents;
    private final Map<String, List<Value>> answers;
    private final Map<String, Boolean> enabled = new HashMap<>();

    private Enablement(QuestionnaireDefinition definition, Map<String, List<Value>> answers) {
        for (ItemDefinition i : definition.allItems()) {
            items.put(i.linkId(), i);
        }
        this.parents = definition.parents();
        this.answers = answers;
    }

    /**
     * @param answers per linkId, the answers given (as sent, before any check of enablement)
     */
    public static Enablement of(QuestionnaireDefinition definition, Map<String, List<Value>> answers) {
        return new Enablement(definition, answers);
    }

    /** Whether the item with this linkId is enabled (an unknown linkId is not). */
    public boolean enabled(String linkId) {
        Boolean known = enabled.get(linkId);
        if (known != null) {
            return known;
        }
        ItemDefinition item = items.get(linkId);
        if (item == null) {
            return false;
        }
        // the reader refuses cycles; this guard only keeps a broken definition from recursing forever
        enabled.put(linkId, Boolean.FALSE);
        ItemDefinition parent = parents.get(linkId);
        boolean result = (parent == null || enabled(parent.linkId())) && conditionsHold(item);
        enabled.put(linkId, result);
        return result;
    }

    /** Whether the item's own enableWhen conditions hold (its ancestors aside). */
    public boolean conditionsHold(ItemDefinition item) {
        if (!item.conditional()) {
            return true;
        }
        EnableBehavior behavior = item.enableBehavior() == null ? EnableBehavior.ALL : item.enableBehavior();
        for (EnableWhen c : item.enableWhen()) {
            boolean holds = c.test(valued(c.question()));
            if (behavior == EnableBehavior.ANY && holds) {
                return true;
            }
            if (behavior == EnableBehavior.ALL && !holds) {
                return false;
            }
        }
        return behavior == EnableBehavior.ALL;
    }

    /** The question's answers as enableWhen sees them: none while the question is disabled. */
    private List<Value> valued(String question) {
        return enabled(question) ? answers.getOrDefault(question, List.of()) : List.of();
    }
}
