package org.openepro.core.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openepro.core.report.Score;

/** Published scoring: PHQ-9 0-27 with bands at 5/10/15/20, GAD-7 0-21 at 5/10/15, pain NRS, EQ-5D-5L profile + VAS. */
class ScorerTest {
    private static final QuestionnaireRegistry REGISTRY = QuestionnaireRegistry.load();
    static final String[] PHQ9 = {
        "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"
    };
    static final String[] GAD7 = {"69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"};

    private static List<Score> score(String id, Map<String, Integer> answers) {
        QuestionnaireDefinition d = REGISTRY.latest(id).orElseThrow();
        QuestionnaireEngine.Checked checked = QuestionnaireEngine.check(d, Responses.of(d, answers), null);
        assertThat(checked.errors()).isEmpty();
        return Scorer.score(d, checked.answers());
    }

    /** Item scores that add up to {@code total}, filled from the first item on. */
    static Map<String, Integer> spread(String[] items, int total) {
        Map<String, Integer> answers = new HashMap<>();
        for (String item : items) {
            int s = Math.min(3, total);
            answers.put(item, s);
            total -= s;
        }
        return answers;
    }

    @ParameterizedTest
    @CsvSource({
        "0, minimal",
        "4, minimal",
        "5, mild",
        "9, mild",
        "10, moderate",
        "14, moderate",
        "15, moderately-severe",
        "19, moderately-severe",
        "20, severe",
        "27, severe"
    })
    void phq9TotalAndBand(int total, String band) {
        Score s = score("phq-9", spread(PHQ9, total)).get(0);
        assertThat(s.value().intValue()).isEqualTo(total);
        assertThat(s.band()).isEqualTo(band);
    }

    @ParameterizedTest
    @CsvSource({
        "0, minimal",
        "4, minimal",
        "5, mild",
        "9, mild",
        "10, moderate",
        "14, moderate",
        "15, severe",
        "21, severe"
    })
    void gad7TotalAndBand(int total, String band) {
        Score s = score("gad-7", spread(GAD7, total)).get(0);
        assertThat(s.value().intValue()).isEqualTo(total);
        assertThat(s.band()).isEqualTo(band);
    }

    @ParameterizedTest
    @CsvSource({"0, none", "3, mild", "4, moderate", "6, moderate", "7, severe", "10, severe"})
    void painRatingBand(int rating, String band) {
        Score s = score("pain-nrs", Map.of("72514-3", rating)).get(0);
        assertThat(s.value().intValue()).isEqualTo(rating);
        assertThat(s.band()).isEqualTo(band);
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 1, 1, 1, 100, 11111", "1, 2, 3, 4, 5, 35, 12345", "5, 5, 5, 5, 5, 0, 55555"})
    void eq5d5lProfileAndVas(int mo, int sc, int ua, int pd, int ad, int vas, String profile) {
        List<Score> scores = score(
                "eq-5d-5l",
                Map.of(
                        "mobility",
                        mo,
                        "self-care",
                        sc,
                        "usual-activities",
                        ua,
                        "pain-discomfort",
                        pd,
                        "anxiety-depression",
                        ad,
                        "vas",
                        vas));
        assertThat(scores).extracting(Score::id).containsExactly("profile", "vas");
        assertThat(scores.get(0).profile()).isEqualTo(profile);
        assertThat(scores.get(1).value().intValue()).isEqualTo(vas);
    }
}
