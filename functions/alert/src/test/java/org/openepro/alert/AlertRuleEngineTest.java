package org.openepro.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.AlertRule;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.RuleKind;
import org.openepro.core.questionnaire.Severity;
import org.openepro.core.report.QuestionnaireRef;
import org.openepro.core.report.Report;
import org.openepro.emulator.SampleReports;

/**
 * Every packaged rule at, below and above its threshold, on reports scored as each instrument
 * publishes: PHQ-9 and GAD-7 totals are the sums of their items (0-3 each), pain NRS is the 0-10
 * rating, PRO-CTCAE items are scored 0-4, EQ-5D-5L dimensions are levels 1-5.
 */
class AlertRuleEngineTest {
    private static final List<String> PHQ9_ITEMS_1_TO_8 =
            List.of("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3");
    private static final String PHQ9_ITEM_9 = "44260-8";
    private static final List<String> GAD7_ITEMS =
            List.of("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7");
    private static final String PAIN = "72514-3";
    private static final List<String> PRO_CTCAE_ITEMS = List.of(
            "nausea-frequency",
            "nausea-severity",
            "fatigue-severity",
            "fatigue-interference",
            "pain-frequency",
            "pain-severity",
            "pain-interference");
    private static final Supplier<Optional<Report>> NO_PREVIOUS = Optional::empty;
    /** What PRO-CTCAE 1.1.0 needs answered (above Never / None) before it asks an item (NCI's branching). */
    private static final java.util.Map<String, java.util.Map<String, Integer>> ASKED_AFTER = java.util.Map.of(
            "nausea-severity", java.util.Map.of("nausea-frequency", 1),
            "fatigue-interference", java.util.Map.of("fatigue-severity", 1),
            "pain-severity", java.util.Map.of("pain-frequency", 1),
            "pain-interference", java.util.Map.of("pain-frequency", 1, "pain-severity", 1));

    private final AlertRuleEngine engine = new AlertRuleEngine(SampleReports.registry());

    @ParameterizedTest(name = "PHQ-9 item 9 scored {0}")
    @CsvSource({"0, false", "1, true", "2, true", "3, true"})
    void phq9Item9AboveNotAtAllIsUrgentWhateverTheTotal(int item9, boolean urgent) {
        // GIVEN a PHQ-9 with every other item at 0, so the total is only item 9's score
        Report report = SampleReports.of("phq-9").answer(PHQ9_ITEM_9, item9).build();
        assertThat(report.score("total").orElseThrow().value()).isEqualByComparingTo(BigDecimal.valueOf(item9));

        // WHEN the rules run
        List<AlertRule> hits = engine.triggered(report, NO_PREVIOUS);

        // THEN only item 9 above 0 raises (URGENT), although the total is minimal
        assertThat(ids(hits)).isEqualTo(urgent ? List.of("phq9-item9-self-harm") : List.of());
        hits.forEach(h -> assertThat(h.severity()).isEqualTo(Severity.URGENT));
    }

    @Test
    void phq9Item9AndASevereTotalRaiseBothUrgentFirst() {
        Report report = withTotal(SampleReports.of("phq-9"), PHQ9_ITEMS_1_TO_8, 21)
                .answer(PHQ9_ITEM_9, 1)
                .build();

        assertThat(ids(engine.triggered(report, NO_PREVIOUS)))
                .containsExactly("phq9-item9-self-harm", "phq9-total-severe");
    }

    @ParameterizedTest(name = "PHQ-9 total {0}")
    @CsvSource({"19, false, moderately-severe", "20, true, severe", "21, true, severe", "24, true, severe"})
    void phq9TotalOfTwentyOrMoreIsHigh(int total, boolean high, String band) {
        // GIVEN item 9 at 0 and items 1-8 summing to the total
        Report report =
                withTotal(SampleReports.of("phq-9"), PHQ9_ITEMS_1_TO_8, total).build();
        assertThat(report.score("total").orElseThrow().value()).isEqualByComparingTo(BigDecimal.valueOf(total));
        assertThat(report.score("total").orElseThrow().band()).isEqualTo(band);

        List<AlertRule> hits = engine.triggered(report, NO_PREVIOUS);

        assertThat(ids(hits)).isEqualTo(high ? List.of("phq9-total-severe") : List.of());
        hits.forEach(h -> assertThat(h.severity()).isEqualTo(Severity.HIGH));
    }

    @ParameterizedTest(name = "GAD-7 total {0}")
    @CsvSource({"14, false, moderate", "15, true, severe", "16, true, severe", "21, true, severe"})
    void gad7TotalOfFifteenOrMoreIsHigh(int total, boolean high, String band) {
        Report report = withTotal(SampleReports.of("gad-7"), GAD7_ITEMS, total).build();
        assertThat(report.score("total").orElseThrow().value()).isEqualByComparingTo(BigDecimal.valueOf(total));
        assertThat(report.score("total").orElseThrow().band()).isEqualTo(band);

        List<AlertRule> hits = engine.triggered(report, NO_PREVIOUS);

        assertThat(ids(hits)).isEqualTo(high ? List.of("gad7-total-severe") : List.of());
        hits.forEach(h -> assertThat(h.severity()).isEqualTo(Severity.HIGH));
    }

    @ParameterizedTest(name = "pain NRS {0}")
    @CsvSource({"0, false", "6, false", "7, true", "8, true", "10, true"})
    void painOfSevenOrMoreIsHigh(int pain, boolean high) {
        Report report = SampleReports.of("pain-nrs").answer(PAIN, pain).build();

        List<AlertRule> hits = engine.triggered(report, NO_PREVIOUS);

        assertThat(ids(hits)).isEqualTo(high ? List.of("pain-nrs-severe") : List.of());
        hits.forEach(h -> assertThat(h.severity()).isEqualTo(Severity.HIGH));
    }

    static Stream<Arguments> proCtcaeItemsAndScores() {
        List<Arguments> cases = new ArrayList<>();
        for (String item : PRO_CTCAE_ITEMS) {
            cases.add(Arguments.of(item, 2, false));
            cases.add(Arguments.of(item, 3, true));
            cases.add(Arguments.of(item, 4, true));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "PRO-CTCAE {0} scored {1}")
    @MethodSource("proCtcaeItemsAndScores")
    void anyProCtcaeSymptomScoredThreeOrMoreIsHigh(String item, int score, boolean high) {
        // GIVEN every other symptom at 2, just below the threshold
        Report report = SampleReports.of("pro-ctcae")
                .answerAll(PRO_CTCAE_ITEMS, 2)
                .answer(item, score)
                .build();
        assertThat(report.branchSkipped()).as("every attribute asked").isEmpty();

        List<AlertRule> hits = engine.triggered(report, NO_PREVIOUS);

        assertThat(ids(hits)).isEqualTo(high ? List.of("pro-ctcae-grade3") : List.of());
        hits.forEach(h -> assertThat(h.severity()).isEqualTo(Severity.HIGH));
    }

    /** Every item of every packaged worsening rule, with a baseline that leaves room for +3. */
    static Stream<Arguments> worseningRuleItems() {
        List<Arguments> cases = new ArrayList<>();
        for (QuestionnaireDefinition q : SampleReports.registry().all()) {
            if (q.retired()) {
                continue;
            }
            for (AlertRule rule : q.alertRules()) {
                if (rule.kind() == RuleKind.WORSENING) {
                    for (String linkId : rule.linkIds()) {
                        cases.add(Arguments.of(q.id(), rule.id(), linkId));
                    }
                }
            }
        }
        assertThat(cases).extracting(a -> a.get()[0]).contains("phq-9", "gad-7", "pain-nrs", "pro-ctcae", "eq-5d-5l");
        return cases.stream();
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("worseningRuleItems")
    void aWorseningOfTwoOrMoreOnTheSameItemIsMedium(String questionnaireId, String ruleId, String linkId) {
        String subject = "SUBJ-W";
        int baseline = lowest(questionnaireId, linkId);
        Report previous = asked(SampleReports.of(questionnaireId), linkId)
                .subject(subject)
                .answer(linkId, baseline)
                .build();
        AlertRule rule = rule(questionnaireId, ruleId);
        assertThat(rule.severity()).isEqualTo(Severity.MEDIUM);

        for (int delta = 0; delta <= 3; delta++) {
            // GIVEN the same item moved by delta since the subject's previous report
            int now = baseline + delta;
            Report report = asked(SampleReports.of(questionnaireId), linkId)
                    .subject(subject)
                    .answer(linkId, now)
                    .build();

            // WHEN the rules run against that previous report
            List<String> hits = ids(engine.triggered(report, () -> Optional.of(previous)));

            // THEN the worsening rule fires from +2 on (at and above the threshold), not below it
            if (delta >= 2) {
                assertThat(hits).as("delta %d", delta).contains(ruleId);
            } else {
                assertThat(hits).as("delta %d", delta).doesNotContain(ruleId);
            }
        }
    }

    @Test
    void anImprovementOfTwoIsNotAWorsening() {
        Report previous = SampleReports.of("pain-nrs").answer(PAIN, 5).build();
        Report report = SampleReports.of("pain-nrs").answer(PAIN, 3).build();

        assertThat(ids(engine.triggered(report, () -> Optional.of(previous)))).isEmpty();
    }

    @Test
    void withoutAPreviousReportNothingWorsens() {
        Report report = SampleReports.of("pain-nrs").answer(PAIN, 6).build();

        assertThat(ids(engine.triggered(report, NO_PREVIOUS))).isEmpty();
    }

    @Test
    void asksForThePreviousReportOnceWhateverTheNumberOfWorseningRules() {
        // GIVEN a GAD-7 whose worsening rule lists seven items
        AtomicInteger asked = new AtomicInteger();
        Report report = SampleReports.of("gad-7").build();

        engine.triggered(report, () -> {
            asked.incrementAndGet();
            return Optional.empty();
        });

        assertThat(asked).hasValue(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ANSWER", "SCORE"})
    void aRuleAddedToTheQuestionnaireJsonIsEvaluatedWithoutCodeChange(String kind) throws Exception {
        // GIVEN GAD-7 version 1.2.0 whose JSON adds a LOW rule (no class knows about it)
        QuestionnaireDefinition packaged =
                SampleReports.registry().latest("gad-7").orElseThrow();
        ObjectNode json = (ObjectNode) Json.mapper().readTree(packaged.fhirJson());
        json.put("version", "1.2.0");
        ObjectNode ext = ((ArrayNode) json.withArray("extension")).addObject();
        ext.put("url", "https://openepro.dev/fhir/StructureDefinition/alert-rule");
        ArrayNode sub = ext.putArray("extension");
        sub.addObject().put("url", "id").put("valueId", "gad7-new-rule");
        sub.addObject().put("url", "severity").put("valueCode", "LOW");
        sub.addObject().put("url", "kind").put("valueCode", kind.toLowerCase());
        if (kind.equals("ANSWER")) {
            sub.addObject().put("url", "item").put("valueString", GAD7_ITEMS.get(0));
        } else {
            sub.addObject().put("url", "score").put("valueId", "total");
        }
        sub.addObject().put("url", "comparator").put("valueCode", "ge");
        sub.addObject().put("url", "threshold").put("valueDecimal", 2);
        QuestionnaireDefinition extended =
                QuestionnaireRegistry.parse(Json.mapper().writeValueAsBytes(json));
        AlertRuleEngine withNewRule = new AlertRuleEngine(QuestionnaireRegistry.of(List.of(packaged, extended)));
        Report report = SampleReports.of("gad-7").answer(GAD7_ITEMS.get(0), 2).build();
        Report onNewVersion = report.toBuilder()
                .questionnaire(new QuestionnaireRef("gad-7", report.questionnaireUrl(), "1.2.0"))
                .build();

        // THEN the new version's rule fires, the packaged version's rules are unchanged
        assertThat(ids(withNewRule.triggered(onNewVersion, NO_PREVIOUS))).containsExactly("gad7-new-rule");
        assertThat(ids(withNewRule.triggered(report, NO_PREVIOUS))).isEmpty();
    }

    @Test
    void aReportOfAnUnknownQuestionnaireFailsInsteadOfRaisingNothing() {
        Report report = SampleReports.of("gad-7").build();
        Report unknown = report.toBuilder()
                .questionnaire(new QuestionnaireRef("gad-7", report.questionnaireUrl(), "9.9.9"))
                .build();

        assertThatThrownBy(() -> engine.triggered(unknown, NO_PREVIOUS)).isInstanceOf(IllegalStateException.class);
    }

    /** Fills the items with 3s, then the remainder, so that they sum to {@code total}. */
    private static SampleReports.Builder withTotal(SampleReports.Builder builder, List<String> items, int total) {
        int left = total;
        for (String item : items) {
            int score = Math.min(3, left);
            builder.answer(item, score);
            left -= score;
        }
        assertThat(left).as("total reachable").isZero();
        return builder;
    }

    /** Answers what the instrument's branching needs before it asks {@code linkId}. */
    private static SampleReports.Builder asked(SampleReports.Builder builder, String linkId) {
        if (builder.definition().id().equals("pro-ctcae")) {
            ASKED_AFTER.getOrDefault(linkId, java.util.Map.of()).forEach(builder::answer);
        }
        return builder;
    }

    @Test
    void aBranchSkippedProCtcaeAttributeCountsAsZeroForEveryRule() {
        // GIVEN pain "Never": severity and interference are not asked, recorded as 0 and flagged
        Report skipped = SampleReports.of("pro-ctcae")
                .answer("nausea-frequency", 2)
                .answer("nausea-severity", 2)
                .build();
        assertThat(skipped.branchSkipped())
                .extracting(a -> a.linkId())
                .containsExactly("fatigue-interference", "pain-severity", "pain-interference");
        assertThat(skipped.answer("pain-severity").orElseThrow().number()).isEqualByComparingTo("0");

        // WHEN it is evaluated alone, and as the previous report of a pain severity of 3
        Report now = SampleReports.of("pro-ctcae")
                .subject(skipped.subjectId())
                .answer("nausea-frequency", 2)
                .answer("nausea-severity", 2)
                .answer("pain-frequency", 3)
                .answer("pain-severity", 3)
                .answer("pain-interference", 1)
                .build();

        // THEN a skip raises nothing (0 is below every threshold) and the rise from 0 to 3 is a worsening
        assertThat(ids(engine.triggered(skipped, NO_PREVIOUS))).isEmpty();
        assertThat(ids(engine.triggered(now, () -> Optional.of(skipped))))
                .containsExactly("pro-ctcae-grade3", "pro-ctcae-worsening");
    }

    @Test
    void anAttributeAnsweredAfterNeverCannotBeMadeIntoAReport() {
        assertThatThrownBy(() ->
                        SampleReports.of("pro-ctcae").answer("pain-severity", 3).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("disabled-item pain-severity");
    }

    private static int lowest(String questionnaireId, String linkId) {
        var item = SampleReports.registry()
                .latest(questionnaireId)
                .orElseThrow()
                .item(linkId)
                .orElseThrow();
        if (item.options().isEmpty()) {
            return item.minValue() == null ? 0 : item.minValue().intValue();
        }
        return item.options().stream()
                .mapToInt(o -> o.ordinal().intValue())
                .min()
                .orElseThrow();
    }

    private static AlertRule rule(String questionnaireId, String ruleId) {
        return SampleReports.registry().latest(questionnaireId).orElseThrow().alertRules().stream()
                .filter(r -> r.id().equals(ruleId))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> ids(List<AlertRule> rules) {
        return rules.stream().map(AlertRule::id).toList();
    }
}
