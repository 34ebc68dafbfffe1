package org.openepro.core.questionnaire;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A versioned questionnaire the backend knows: its items, scores and alert rules, read from
 * the FHIR R4 Questionnaire resource that the patient app renders ({@link #fhirJson()}).
 */
public record QuestionnaireDefinition(String id, String url, String version, String name, String title,
                                      String code, List<ItemDefinition> items, Map<String, ItemDefinition> answerableItems,
                                      List<ScoreDefinition> scores, List<AlertRule> alertRules,
                                      Duration submissionWindow, byte[] fhirJson) {

    /** {@code url|version}: how a QuestionnaireResponse names it. */
    public String canonical() {
        return url + "|" + version;
    }

    public Optional<ItemDefinition> item(String linkId) {
        return Optional.ofNullable(answerableItems.get(linkId));
    }

    public Optional<ScoreDefinition> score(String id) {
        return scores.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}
