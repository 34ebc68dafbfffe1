package org.openepro.core.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Score;

/**
 * Every branch of the packaged instruments, as published: PHQ-9 and GAD-7 ask the difficulty item
 * only when some problem is checked and never score it; PRO-CTCAE branches frequency -> severity ->
 * interference (NCI's electronic administration), recording a skipped attribute as 0 and flagged
 * (CDISC's PRO-CTCAE QRS supplement); EQ-5D-5L and the pain NRS have no branching.
 */
class InstrumentBranchesTest {
    private static final QuestionnaireRegistry REGISTRY = QuestionnaireRegistry.load();

    private static QuestionnaireDefinition q(String id, String version) {
        return REGISTRY.byCanonical("https://openepro.dev/fhir/Questionnaire/" + id + "|" + version)
                .orElseThrow();
    }

    private static QuestionnaireEngine.Checked check(QuestionnaireDefinition d, Map<String, ?> answers) {
        return QuestionnaireEngine.check(d, Responses.of(d, answers), null);
    }

    private static Map<String, Object> all(String[] items, int ordinal) {
        Map<String, Object> m = new HashMap<>();
        for (String i : items) {
            m.put(i, ordinal);
        }
        return m;
    }

    private static Optional<Answer> answer(QuestionnaireEngine.Checked c, String linkId) {
        return c.answers().stream().filter(a -> a.linkId().equals(linkId)).findFirst();
    }

    private static List<String> codes(List<FieldError> errors) {
        return errors.stream().map(e -> e.code() + ":" + e.linkId()).toList();
    }

    @Nested
    class Phq9 {
        private final QuestionnaireDefinition phq9 = q("phq-9", "1.1.0");
        private static final String DIFFICULTY = "69722-7";

        @Test
        void withEveryItemAtNotAtAllTheDifficultyItemIsNotAskedAndTheTotalIsZero() {
            QuestionnaireEngine.Checked c = check(phq9, all(ScorerTest.PHQ9, 0));

            assertThat(c.errors()).isEmpty();
            assertThat(c.disabled()).containsExactly(DIFFICULTY);
            assertThat(Scorer.score(phq9, c.answers())).extracting(Score::value).containsExactly(BigDecimal.ZERO);
        }

        @Test
        void theDifficultyItemAnsweredWithEveryItemAtNotAtAllIsRefusedNamingIt() {
            Map<String, Object> answers = all(ScorerTest.PHQ9, 0);
            answers.put(DIFFICULTY, "LA6573-5");

            QuestionnaireEngine.Checked c = check(phq9, answers);

            assertThat(codes(c.errors())).containsExactly("disabled-item:" + DIFFICULTY);
        }

        @ParameterizedTest(name = "item {0} checked")
        @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
        void anyProblemCheckedEnablesTheDifficultyItemWhichIsStoredButNeverScored(int checked) {
            Map<String, Object> answers = all(ScorerTest.PHQ9, 0);
            answers.put(ScorerTest.PHQ9[checked], 1);
            answers.put(DIFFICULTY, "LA6575-0");

            QuestionnaireEngine.Checked c = check(phq9, answers);

            assertThat(c.errors()).isEmpty();
            assertThat(c.disabled()).isEmpty();
            Answer difficulty = answer(c, DIFFICULTY).orElseThrow();
            assertThat(difficulty.code()).isEqualTo("LA6575-0");
            assertThat(difficulty.display()).isEqualTo("Very difficult");
            assertThat(difficulty.number()).as("LL359-1 publishes no scores").isNull();
            assertThat(Scorer.score(phq9, c.answers()).get(0).value()).isEqualByComparingTo("1");
        }

        @Test
        void theDifficultyItemStaysOptionalWhenEnabled() {
            Map<String, Object> answers = all(ScorerTest.PHQ9, 3);

            QuestionnaireEngine.Checked c = check(phq9, answers);

            assertThat(c.errors()).isEmpty();
            assertThat(answer(c, DIFFICULTY)).isEmpty();
            assertThat(c.disabled()).as("enabled, merely unanswered").isEmpty();
            assertThat(Scorer.score(phq9, c.answers()).get(0).value()).isEqualByComparingTo("27");
        }

        @Test
        void anUnansweredItemCountsAsNotAtAllForNoOneSoTheDifficultyItemIsEnabledAndTheRequiredItemReported() {
            Map<String, Object> answers = all(ScorerTest.PHQ9, 0);
            answers.remove(ScorerTest.PHQ9[0]);
            answers.put(DIFFICULTY, "LA6572-7");

            QuestionnaireEngine.Checked c = check(phq9, answers);

            // "!=" on an unanswered question is true: the difficulty item is enabled, item 1 is missing
            assertThat(codes(c.errors())).containsExactly("required:" + ScorerTest.PHQ9[0]);
        }

        @Test
        void version100KeepsItsOwnRulesForTheReportsStoredWithIt() {
            QuestionnaireDefinition old = q("phq-9", "1.0.0");
            Map<String, Object> answers = all(ScorerTest.PHQ9, 0);
            answers.put(DIFFICULTY, 2);

            QuestionnaireEngine.Checked c = check(old, answers);

            assertThat(c.errors()).isEmpty();
            assertThat(answer(c, DIFFICULTY).orElseThrow().number()).isEqualByComparingTo("2");
            assertThat(old.retired()).as("superseded by 1.1.0").isTrue();
        }
    }

    @Nested
    class Gad7 {
        private final QuestionnaireDefinition gad7 = q("gad-7", "1.1.0");
        private static final String DIFFICULTY = "gad7-difficulty";

        @Test
        void withEveryItemAtNotAtAllTheDifficultyItemIsNotAsked() {
            QuestionnaireEngine.Checked c = check(gad7, all(ScorerTest.GAD7, 0));

            assertThat(c.errors()).isEmpty();
            assertThat(c.disabled()).containsExactly(DIFFICULTY);
        }

        @Test
        void theDifficultyItemAnsweredWithEveryItemAtNotAtAllIsRefused() {
            Map<String, Object> answers = all(ScorerTest.GAD7, 0);
            answers.put(DIFFICULTY, "LA6574-3");

            assertThat(codes(check(gad7, answers).errors())).containsExactly("disabled-item:" + DIFFICULTY);
        }

        @ParameterizedTest(name = "item {0} checked")
        @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
        void anyProblemCheckedEnablesTheDifficultyItemOutsideTheTotal(int checked) {
            Map<String, Object> answers = all(ScorerTest.GAD7, 0);
            answers.put(ScorerTest.GAD7[checked], 2);
            answers.put(DIFFICULTY, "LA6573-5");

            QuestionnaireEngine.Checked c = check(gad7, answers);

            assertThat(c.errors()).isEmpty();
            assertThat(answer(c, DIFFICULTY).orElseThrow().number()).isNull();
            assertThat(Scorer.score(gad7, c.answers()).get(0).value()).isEqualByComparingTo("2");
        }
    }

    @Nested
    class ProCtcae {
        private final QuestionnaireDefinition proCtcae = q("pro-ctcae", "1.1.0");

        private Map<String, Object> base() {
            // every symptom at its lowest first attribute: nausea never, fatigue none, pain never
            Map<String, Object> m = new HashMap<>();
            m.put("nausea-frequency", 0);
            m.put("fatigue-severity", 0);
            m.put("pain-frequency", 0);
            return m;
        }

        private void assertSkipped(QuestionnaireEngine.Checked c, String linkId, String code) {
            Answer a = answer(c, linkId).orElseThrow();
            assertThat(a.branchSkipped()).isTrue();
            assertThat(a.code()).isEqualTo(code);
            assertThat(a.number()).isEqualByComparingTo("0");
        }

        @Test
        void neverAndNoneSkipEveryLaterAttributeRecordedAsZeroAndFlagged() {
            QuestionnaireEngine.Checked c = check(proCtcae, base());

            assertThat(c.errors()).isEmpty();
            assertSkipped(c, "nausea-severity", "none");
            assertSkipped(c, "fatigue-interference", "not-at-all");
            assertSkipped(c, "pain-severity", "none");
            assertSkipped(c, "pain-interference", "not-at-all");
            assertThat(c.answers())
                    .extracting(Answer::linkId)
                    .containsExactly(
                            "nausea-frequency",
                            "nausea-severity",
                            "fatigue-severity",
                            "fatigue-interference",
                            "pain-frequency",
                            "pain-severity",
                            "pain-interference");
            assertThat(c.answers().stream().filter(a -> !a.branchSkipped()))
                    .extracting(Answer::linkId)
                    .containsExactly("nausea-frequency", "fatigue-severity", "pain-frequency");
            assertThat(c.disabled())
                    .as("a skip the instrument scores is not merely empty")
                    .isEmpty();
        }

        @Test
        void aSeverityAnsweredAfterNeverIsRefusedNamingTheDisabledItem() {
            Map<String, Object> answers = base();
            answers.put("nausea-severity", 3);

            assertThat(codes(check(proCtcae, answers).errors())).containsExactly("disabled-item:nausea-severity");
        }

        @ParameterizedTest(name = "frequency {0}")
        @ValueSource(ints = {1, 2, 3, 4})
        void aFrequencyAboveNeverAsksTheSeverityWhichIsThenRequired(int frequency) {
            Map<String, Object> answers = base();
            answers.put("nausea-frequency", frequency);

            assertThat(codes(check(proCtcae, answers).errors())).containsExactly("required:nausea-severity");
            answers.put("nausea-severity", frequency - 1);
            QuestionnaireEngine.Checked c = check(proCtcae, answers);
            assertThat(c.errors()).isEmpty();
            assertThat(answer(c, "nausea-severity").orElseThrow().branchSkipped())
                    .isFalse();
            assertThat(answer(c, "nausea-severity").orElseThrow().number())
                    .isEqualByComparingTo(BigDecimal.valueOf(frequency - 1));
        }

        @ParameterizedTest(name = "fatigue severity {0}")
        @ValueSource(ints = {1, 2, 3, 4})
        void aFatigueSeverityAboveNoneAsksTheInterference(int severity) {
            Map<String, Object> answers = base();
            answers.put("fatigue-severity", severity);

            assertThat(codes(check(proCtcae, answers).errors())).containsExactly("required:fatigue-interference");
            answers.put("fatigue-interference", 4);
            assertThat(check(proCtcae, answers).errors()).isEmpty();
        }

        @Test
        void aFatigueInterferenceAnsweredAfterNoneIsRefused() {
            Map<String, Object> answers = base();
            answers.put("fatigue-interference", 1);

            assertThat(codes(check(proCtcae, answers).errors())).containsExactly("disabled-item:fatigue-interference");
        }

        @Test
        void painNeverSkipsBothSeverityAndInterferenceAndRefusesEitherAnswered() {
            Map<String, Object> severity = base();
            severity.put("pain-severity", 2);
            Map<String, Object> interference = base();
            interference.put("pain-interference", 2);

            assertThat(codes(check(proCtcae, severity).errors())).containsExactly("disabled-item:pain-severity");
            assertThat(codes(check(proCtcae, interference).errors()))
                    .containsExactly("disabled-item:pain-interference");
        }

        @Test
        void painAboveNeverWithSeverityNoneSkipsOnlyTheInterference() {
            Map<String, Object> answers = base();
            answers.put("pain-frequency", 2);
            answers.put("pain-severity", 0);

            QuestionnaireEngine.Checked c = check(proCtcae, answers);

            assertThat(c.errors()).isEmpty();
            assertThat(answer(c, "pain-severity").orElseThrow().branchSkipped()).isFalse();
            assertSkipped(c, "pain-interference", "not-at-all");
            answers.put("pain-interference", 1);
            assertThat(codes(check(proCtcae, answers).errors())).containsExactly("disabled-item:pain-interference");
        }

        @ParameterizedTest(name = "pain severity {0}")
        @ValueSource(ints = {1, 2, 3, 4})
        void painAboveNeverAndSeverityAboveNoneAsksTheInterference(int severity) {
            Map<String, Object> answers = base();
            answers.put("pain-frequency", 1);
            answers.put("pain-severity", severity);

            assertThat(codes(check(proCtcae, answers).errors())).containsExactly("required:pain-interference");
            answers.put("pain-interference", 3);
            QuestionnaireEngine.Checked c = check(proCtcae, answers);
            assertThat(c.errors()).isEmpty();
            assertThat(c.answers().stream().filter(a -> a.linkId().startsWith("pain-")))
                    .noneMatch(Answer::branchSkipped);
        }

        @Test
        void theContradictoryNeverWithSevereIsRefused() {
            Map<String, Object> answers = base();
            answers.put("pain-severity", 3);
            answers.put("pain-interference", 3);

            assertThat(codes(check(proCtcae, answers).errors()))
                    .containsExactlyInAnyOrder("disabled-item:pain-severity", "disabled-item:pain-interference");
        }

        @Test
        void version100StillReadsTheReportsAnsweredWithAllSevenItems() {
            QuestionnaireDefinition old = q("pro-ctcae", "1.0.0");
            Map<String, Object> answers = new HashMap<>();
            for (String linkId : old.answerableItems().keySet()) {
                answers.put(linkId, 0);
            }

            assertThat(check(old, answers).errors()).isEmpty();
            assertThat(old.retired()).isTrue();
        }
    }

    @Nested
    class WithoutBranching {
        @Test
        void eq5d5lRequiresEveryDimensionAndTheVasWithinZeroToHundred() {
            QuestionnaireDefinition eq = q("eq-5d-5l", "1.0.0");
            Map<String, Object> answers = new HashMap<>(Map.of(
                    "mobility",
                    1,
                    "self-care",
                    2,
                    "usual-activities",
                    3,
                    "pain-discomfort",
                    4,
                    "anxiety-depression",
                    5,
                    "vas",
                    101));

            assertThat(codes(check(eq, answers).errors())).containsExactly("out-of-range:vas");
            answers.remove("self-care");
            answers.put("vas", 60);
            assertThat(codes(check(eq, answers).errors())).containsExactly("required:self-care");
            assertThat(eq.allItems()).noneMatch(ItemDefinition::conditional);
        }

        @Test
        void painNrsIsOneRequiredIntegerFromZeroToTen() {
            QuestionnaireDefinition pain = q("pain-nrs", "1.0.0");

            assertThat(codes(check(pain, Map.of()).errors())).containsExactly("required:72514-3");
            assertThat(codes(check(pain, Map.of("72514-3", 11)).errors())).containsExactly("out-of-range:72514-3");
            assertThat(check(pain, Map.of("72514-3", 10)).errors()).isEmpty();
            assertThat(pain.allItems()).noneMatch(ItemDefinition::conditional);
        }
    }
}
