package org.openepro.core.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuestionnaireRegistryTest {
    private final QuestionnaireRegistry registry = QuestionnaireRegistry.load();

    @Test
    void packagesTheFiveInstrumentsByCanonicalUrlAndVersion() {
        assertThat(registry.all())
                .extracting(QuestionnaireDefinition::canonical)
                .containsExactlyInAnyOrder(
                        "https://openepro.dev/fhir/Questionnaire/phq-9|1.0.0",
                        "https://openepro.dev/fhir/Questionnaire/phq-9|1.1.0",
                        "https://openepro.dev/fhir/Questionnaire/gad-7|1.0.0",
                        "https://openepro.dev/fhir/Questionnaire/gad-7|1.1.0",
                        "https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0",
                        "https://openepro.dev/fhir/Questionnaire/pro-ctcae|1.0.0",
                        "https://openepro.dev/fhir/Questionnaire/pro-ctcae|1.1.0",
                        "https://openepro.dev/fhir/Questionnaire/eq-5d-5l|1.0.0");
        assertThat(registry.byCanonical("https://openepro.dev/fhir/Questionnaire/phq-9|2.0.0"))
                .isEmpty();
        assertThat(registry.latest("gad-7"))
                .map(QuestionnaireDefinition::version)
                .contains("1.1.0");
    }

    @Test
    void readsItemsWithLoincCodesOrdinalsScoresAndBands() {
        QuestionnaireDefinition phq9 = registry.latest("phq-9").orElseThrow();

        assertThat(phq9.answerableItems()).hasSize(10);
        ItemDefinition item9 = phq9.item("44260-8").orElseThrow();
        assertThat(item9.code()).isEqualTo("44260-8");
        assertThat(item9.required()).isTrue();
        assertThat(item9.options()).extracting(o -> o.ordinal().intValueExact()).containsExactly(0, 1, 2, 3);
        assertThat(item9.options())
                .extracting(AnswerOption::code)
                .containsExactly("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9");
        assertThat(phq9.item("69722-7").orElseThrow().required()).isFalse();
        // LOINC's answer list for the difficulty item (LL359-1) publishes no scores
        assertThat(phq9.item("69722-7").orElseThrow().options())
                .extracting(AnswerOption::ordinal)
                .containsOnlyNulls();
        ScoreDefinition total = phq9.score("total").orElseThrow();
        assertThat(total.code()).isEqualTo("44261-6");
        assertThat(total.linkIds()).hasSize(9).doesNotContain("69722-7");
        assertThat(total.bands()).extracting(ScoreBand::min).containsExactly(0, 5, 10, 15, 20);
        assertThat(total.band(BigDecimal.valueOf(19))).map(ScoreBand::code).contains("moderately-severe");
        assertThat(phq9.submissionWindow()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void readsAlertRulesAsData() {
        QuestionnaireDefinition phq9 = registry.latest("phq-9").orElseThrow();

        assertThat(phq9.alertRules())
                .extracting(AlertRule::id)
                .containsExactly("phq9-item9-self-harm", "phq9-total-severe", "phq9-item-worsening");
        AlertRule selfHarm = phq9.alertRules().get(0);
        assertThat(selfHarm.severity()).isEqualTo(Severity.URGENT);
        assertThat(selfHarm.kind()).isEqualTo(RuleKind.ANSWER);
        assertThat(selfHarm.linkIds()).containsExactly("44260-8");
        assertThat(selfHarm.comparator().test(BigDecimal.ONE, selfHarm.threshold()))
                .isTrue();
        assertThat(selfHarm.comparator().test(BigDecimal.ZERO, selfHarm.threshold()))
                .isFalse();
    }

    @Test
    void refusesADefinitionWhoseRuleNamesAnUnknownItem() {
        String broken = new String(registry.latest("pain-nrs").orElseThrow().fhirJson(), StandardCharsets.UTF_8)
                .replace("\"valueString\": \"72514-3\"", "\"valueString\": \"no-such-item\"");

        assertThatThrownBy(() -> QuestionnaireRegistry.parse(broken.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-item");
    }
}
