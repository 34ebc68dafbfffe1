package org.openepro.core.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openepro.core.fhir.QuestionnaireResponseBody;
import org.openepro.core.json.Json;

class SampleResponsesTest {
    private static final QuestionnaireRegistry REGISTRY = QuestionnaireRegistry.load();
    private static final OffsetDateTime AUTHORED = OffsetDateTime.parse("2026-03-02T08:15:00+01:00");

    @Test
    void answersEveryItemOfEveryPackagedQuestionnaireOnceWithAnAllowedValueOfItsType() throws Exception {
        for (QuestionnaireDefinition q : REGISTRY.all()) {
            ObjectNode qr =
                    SampleResponses.of(q, AUTHORED).unremarkable(new Random(1)).json();

            assertThat(qr.path("resourceType").asText()).isEqualTo("QuestionnaireResponse");
            assertThat(qr.path("questionnaire").asText()).isEqualTo(q.canonical());
            assertThat(qr.path("status").asText()).isEqualTo("completed");
            assertThat(qr.path("authored").asText()).isEqualTo("2026-03-02T08:15:00+01:00");
            Set<String> answered = new HashSet<>();
            for (JsonNode item : qr.path("item")) {
                ItemDefinition def = q.item(item.path("linkId").asText()).orElseThrow();
                assertThat(item.path("answer")).hasSize(1);
                JsonNode value = item.path("answer").get(0).path(def.type().valueField());
                assertThat(value.isMissingNode())
                        .as(q.id() + " " + def.linkId())
                        .isFalse();
                assertThat(allowed(def, value)).as(q.id() + " " + def.linkId()).isTrue();
                answered.add(def.linkId());
            }
            // every item the answers enable, and no other: the engine accepts it as submitted
            var checked = QuestionnaireEngine.check(
                    q,
                    List.of(Json.mapper().treeToValue(qr.path("item"), QuestionnaireResponseBody.Item[].class)),
                    null);
            assertThat(checked.errors()).as(q.canonical()).isEmpty();
            assertThat(answered).isSubsetOf(q.answerableItems().keySet());
        }
    }

    @Test
    void aChosenItemIsAlwaysAskedWhateverItsBranching() {
        QuestionnaireDefinition proCtcae = REGISTRY.latest("pro-ctcae").orElseThrow();

        for (int seed = 0; seed < 20; seed++) {
            ObjectNode qr = SampleResponses.of(proCtcae, AUTHORED)
                    .scores(Map.of("pain-interference", BigDecimal.valueOf(3)))
                    .unremarkable(new Random(seed))
                    .json();

            assertThat(qr.path("item").findValuesAsText("linkId"))
                    .contains("pain-frequency", "pain-severity", "pain-interference");
        }
    }

    @Test
    void writesAuthoredWithSecondsAndANumericOffsetEvenAtUtc() {
        QuestionnaireDefinition pain = REGISTRY.latest("pain-nrs").orElseThrow();

        ObjectNode qr = SampleResponses.of(pain, OffsetDateTime.parse("2026-03-02T08:15:00Z"))
                .unremarkable(new Random(1))
                .json();

        assertThat(qr.path("authored").asText()).isEqualTo("2026-03-02T08:15:00+00:00");
    }

    @Test
    void unremarkableAnswersMeetNoAnswerAlertRule() {
        for (QuestionnaireDefinition q : REGISTRY.all()) {
            for (int seed = 0; seed < 50; seed++) {
                ObjectNode qr = SampleResponses.of(q, AUTHORED)
                        .unremarkable(new Random(seed))
                        .json();
                for (AlertRule rule : q.alertRules()) {
                    if (rule.kind() != RuleKind.ANSWER) {
                        continue;
                    }
                    for (JsonNode item : qr.path("item")) {
                        if (rule.linkIds().contains(item.path("linkId").asText())) {
                            BigDecimal score =
                                    score(q.item(item.path("linkId").asText()).orElseThrow(), item);
                            assertThat(rule.comparator().test(score, rule.threshold()))
                                    .as(rule.id())
                                    .isFalse();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aChosenScoreSelectsTheOptionWithThatOrdinalOrThatNumber() {
        QuestionnaireDefinition phq9 = REGISTRY.latest("phq-9").orElseThrow();
        QuestionnaireDefinition pain = REGISTRY.latest("pain-nrs").orElseThrow();

        ObjectNode a = SampleResponses.of(phq9, AUTHORED)
                .scores(Map.of("44260-8", BigDecimal.ONE))
                .unremarkable(new Random(1))
                .json();
        ObjectNode b = SampleResponses.of(pain, AUTHORED)
                .scores(Map.of("72514-3", BigDecimal.valueOf(8)))
                .unremarkable(new Random(1))
                .json();

        JsonNode item9 = a.path("item").get(8);
        assertThat(item9.path("linkId").asText()).isEqualTo("44260-8");
        assertThat(item9.path("answer").get(0).path("valueCoding").path("code").asText())
                .isEqualTo("LA6569-3");
        assertThat(b.path("item")
                        .get(0)
                        .path("answer")
                        .get(0)
                        .path("valueInteger")
                        .asInt())
                .isEqualTo(8);
    }

    private static boolean allowed(ItemDefinition def, JsonNode value) {
        return switch (def.type()) {
            case CHOICE ->
                def.option(value.path("system").asText(null), value.path("code").asText())
                        .isPresent();
            case INTEGER, DECIMAL ->
                (def.minValue() == null || value.decimalValue().compareTo(def.minValue()) >= 0)
                        && (def.maxValue() == null || value.decimalValue().compareTo(def.maxValue()) <= 0);
            default -> true;
        };
    }

    private static BigDecimal score(ItemDefinition def, JsonNode item) {
        JsonNode value = item.path("answer").get(0).path(def.type().valueField());
        return def.type() == ItemType.CHOICE
                ? def.option(
                                value.path("system").asText(null),
                                value.path("code").asText())
                        .orElseThrow()
                        .ordinal()
                : value.decimalValue();
    }
}
