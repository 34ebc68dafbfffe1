package org.openepro.core.questionnaire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A versioned questionnaire the backend knows: its items, scores and alert rules, read from
 * the FHIR R4 Questionnaire resource that the patient app renders ({@link #fhirJson()}).
 *
 * @param status    FHIR publication status; a {@code retired} questionnaire takes no new responses
 * @param language  the base language of its texts (Questionnaire.language); null when undeclared
 * @param languages the base language and every language it carries a complete translation for
 */
public record QuestionnaireDefinition(
        String id,
        String url,
        String version,
        String name,
        String title,
        String code,
        String status,
        String language,
        Set<String> languages,
        List<ItemDefinition> items,
        Map<String, ItemDefinition> answerableItems,
        List<ScoreDefinition> scores,
        List<AlertRule> alertRules,
        Duration submissionWindow,
        byte[] fhirJson) {
    public QuestionnaireDefinition {
        languages = Set.copyOf(languages);
        items = List.copyOf(items);
    }

    /** {@code url|version}: how a QuestionnaireResponse names it. */
    public String canonical() {
        return url + "|" + version;
    }

    public boolean retired() {
        return "retired".equals(status);
    }

    public Optional<ItemDefinition> item(String linkId) {
        return Optional.ofNullable(answerableItems.get(linkId));
    }

    public Optional<ScoreDefinition> score(String id) {
        return scores.stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /** Every item, groups and display items included, in questionnaire (pre-)order. */
    public List<ItemDefinition> allItems() {
        List<ItemDefinition> out = new ArrayList<>();
        flatten(items, out);
        return out;
    }

    /** Every item by linkId, with the group it is nested in (null at the top level). */
    public Map<String, ItemDefinition> parents() {
        Map<String, ItemDefinition> out = new LinkedHashMap<>();
        parents(items, null, out);
        return out;
    }

    /**
     * The language of this questionnaire that a response's (or a request's) BCP 47 tag names:
     * exact (case-insensitive), else by primary subtag ({@code de-CH} finds {@code de}).
     */
    public Optional<String> matchLanguage(String tag) {
        if (tag == null || tag.isBlank()) {
            return Optional.empty();
        }
        String wanted = tag.trim().toLowerCase(Locale.ROOT);
        for (String l : languages) {
            if (l.toLowerCase(Locale.ROOT).equals(wanted)) {
                return Optional.of(l);
            }
        }
        String primary = wanted.split("-", 2)[0];
        for (String l : languages) {
            if (l.toLowerCase(Locale.ROOT).equals(primary)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    private static void flatten(List<ItemDefinition> level, List<ItemDefinition> out) {
        for (ItemDefinition i : level) {
            out.add(i);
            flatten(i.children(), out);
        }
    }

    private static void parents(List<ItemDefinition> level, ItemDefinition parent, Map<String, ItemDefinition> out) {
        for (ItemDefinition i : level) {
            out.put(i.linkId(), parent);
            parents(i.children(), i, out);
        }
    }
}
