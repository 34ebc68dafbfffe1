package org.openepro.core.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * enableWhen and enableBehavior against the text of FHIR R4 (Questionnaire.item.enableWhen and the
 * questionnaire-enable-operator code system), one definition per test:
 * <ul>
 * <li>exists: true if whether an answer exists is equal to the enableWhen answer (a boolean);</li>
 * <li>=: true if at least one answer has a value equal to the enableWhen answer;</li>
 * <li>!=: true if NO answer has a value equal to the enableWhen answer (so an unanswered question makes it true);</li>
 * <li>&gt; &lt; &gt;= &lt;=: true if at least one answer has a value that compares so;</li>
 * <li>several enableWhen combine by enableBehavior all / any;</li>
 * <li>a disabled item disables all of its descendants, whatever their own enableWhen;</li>
 * <li>a condition on a disabled question proceeds as though that question were not valued.</li>
 * </ul>
 */
class EnablementTest {
    private static final String SYS = "https://example.org/yn";

    /** A questionnaire with question "q" (of {@code type}, options yes/no for choice) and "t" enabled by one condition. */
    private static QuestionnaireDefinition oneCondition(String type, boolean repeats, String operator, String answer) {
        String options = type.equals("choice") ? """
                , "answerOption": [{"valueCoding": {"system": "%s", "code": "yes"}},
                                   {"valueCoding": {"system": "%s", "code": "no"}}]""".formatted(SYS, SYS) : "";
        return Responses.questionnaire("""
                {"resourceType": "Questionnaire", "id": "t", "url": "https://example.org/Q/t", "version": "1",
                 "status": "active", "item": [
                   {"linkId": "q", "type": "%s", "repeats": %s %s},
                   {"linkId": "t", "type": "string",
                    "enableWhen": [{"question": "q", "operator": "%s", %s}]}]}
                """.formatted(type, repeats, options, operator, answer));
    }

    private static boolean enabled(QuestionnaireDefinition d, Value... answers) {
        Map<String, List<Value>> given = answers.length == 0 ? Map.of() : Map.of("q", List.of(answers));
        return Enablement.of(d, given).enabled("t");
    }

    private static Value.Coding coding(String code) {
        return new Value.Coding(SYS, code, null);
    }

    private static Value.Number integer(long n) {
        return new Value.Number(java.math.BigDecimal.valueOf(n), true);
    }

    @Nested
    class Exists {
        @Test
        void existsTrueEnablesTheItemOnlyWhenTheQuestionIsAnswered() {
            // GIVEN
            QuestionnaireDefinition d = oneCondition("integer", false, "exists", "\"answerBoolean\": true");

            // WHEN / THEN
            assertThat(enabled(d, integer(0))).isTrue();
            assertThat(enabled(d)).isFalse();
        }

        @Test
        void existsFalseEnablesTheItemOnlyWhenTheQuestionIsUnanswered() {
            QuestionnaireDefinition d = oneCondition("integer", false, "exists", "\"answerBoolean\": false");

            assertThat(enabled(d)).isTrue();
            assertThat(enabled(d, integer(0))).isFalse();
        }
    }

    @Nested
    class Equality {
        @Test
        void equalsIsTrueWhenAnAnswerHasTheValueComparingCodingsBySystemAndCodeNotDisplay() {
            QuestionnaireDefinition d = oneCondition(
                    "choice",
                    false,
                    "=",
                    "\"answerCoding\": {\"system\": \"" + SYS + "\", \"code\": \"yes\", \"display\": \"Yes\"}");

            assertThat(enabled(d, new Value.Coding(SYS, "yes", "something else shown")))
                    .isTrue();
            assertThat(enabled(d, coding("no"))).isFalse();
            assertThat(enabled(d, new Value.Coding("https://other.org/yn", "yes", null)))
                    .isFalse();
            assertThat(enabled(d)).isFalse();
        }

        @Test
        void notEqualsIsTrueWhenNoAnswerHasTheValueAnUnansweredQuestionIncluded() {
            QuestionnaireDefinition d = oneCondition(
                    "choice", false, "!=", "\"answerCoding\": {\"system\": \"" + SYS + "\", \"code\": \"yes\"}");

            assertThat(enabled(d)).as("unanswered: no answer equals 'yes'").isTrue();
            assertThat(enabled(d, coding("no"))).isTrue();
            assertThat(enabled(d, coding("yes"))).isFalse();
        }

        @Test
        void withSeveralAnswersEqualsNeedsOneMatchAndNotEqualsNeedsNone() {
            QuestionnaireDefinition eq = oneCondition(
                    "choice", true, "=", "\"answerCoding\": {\"system\": \"" + SYS + "\", \"code\": \"yes\"}");
            QuestionnaireDefinition ne = oneCondition(
                    "choice", true, "!=", "\"answerCoding\": {\"system\": \"" + SYS + "\", \"code\": \"yes\"}");

            assertThat(enabled(eq, coding("no"), coding("yes"))).isTrue();
            assertThat(enabled(ne, coding("no"), coding("yes"))).isFalse();
            assertThat(enabled(ne, coding("no"), coding("no"))).isTrue();
        }

        @Test
        void numbersAreEqualByValueWhateverTheirScaleOrFhirType() {
            QuestionnaireDefinition d = oneCondition("decimal", false, "=", "\"answerDecimal\": 2.50");

            assertThat(enabled(d, new Value.Number(new java.math.BigDecimal("2.5"), false)))
                    .isTrue();
            assertThat(enabled(d, integer(2))).isFalse();
        }

        @Test
        void booleansAndStringsCompareByValue() {
            QuestionnaireDefinition bool = oneCondition("boolean", false, "=", "\"answerBoolean\": true");
            QuestionnaireDefinition text = oneCondition("string", false, "!=", "\"answerString\": \"none\"");

            assertThat(enabled(bool, new Value.Bool(true))).isTrue();
            assertThat(enabled(bool, new Value.Bool(false))).isFalse();
            assertThat(enabled(text, new Value.Text("none"))).isFalse();
            assertThat(enabled(text, new Value.Text("None")))
                    .as("string equality is exact")
                    .isTrue();
        }
    }

    @Nested
    class Ordering {
        @ParameterizedTest(name = "answer {0} {1} 5 -> {2}")
        @CsvSource({
            "4, >, false",
            "5, >, false",
            "6, >, true",
            "4, <, true",
            "5, <, false",
            "6, <, false",
            "4, >=, false",
            "5, >=, true",
            "6, >=, true",
            "4, <=, true",
            "5, <=, true",
            "6, <=, false"
        })
        void everyOrderingOperatorOnIntegersAtAndAroundTheBoundary(int answer, String operator, boolean expected) {
            QuestionnaireDefinition d = oneCondition("integer", false, operator, "\"answerInteger\": 5");

            assertThat(enabled(d, integer(answer))).isEqualTo(expected);
        }

        @ParameterizedTest(name = "unanswered {0} -> false")
        @CsvSource({">", "<", ">=", "<="})
        void anOrderingOperatorOnAnUnansweredQuestionIsFalse(String operator) {
            QuestionnaireDefinition d = oneCondition("integer", false, operator, "\"answerInteger\": 5");

            assertThat(enabled(d)).isFalse();
        }

        @Test
        void withSeveralAnswersOneAnswerThatComparesSoIsEnough() {
            QuestionnaireDefinition d = oneCondition("integer", true, ">", "\"answerInteger\": 5");

            assertThat(enabled(d, integer(1), integer(9))).isTrue();
            assertThat(enabled(d, integer(1), integer(5))).isFalse();
        }

        @Test
        void datesDateTimesAndTimesCompareInTime() {
            QuestionnaireDefinition date = oneCondition("date", false, ">=", "\"answerDate\": \"2026-03-01\"");
            QuestionnaireDefinition dateTime =
                    oneCondition("dateTime", false, "=", "\"answerDateTime\": \"2026-03-01T10:00:00+01:00\"");
            QuestionnaireDefinition time = oneCondition("time", false, "<", "\"answerTime\": \"12:00:00\"");

            assertThat(enabled(date, new Value.Date(java.time.LocalDate.parse("2026-03-01"))))
                    .isTrue();
            assertThat(enabled(date, new Value.Date(java.time.LocalDate.parse("2026-02-28"))))
                    .isFalse();
            // the same instant written with another offset is equal
            assertThat(enabled(
                            dateTime,
                            new Value.DateTime(
                                    java.time.OffsetDateTime.parse("2026-03-01T09:00:00Z"), "2026-03-01T09:00:00Z")))
                    .isTrue();
            assertThat(enabled(time, new Value.Time(java.time.LocalTime.parse("11:59:59"), "11:59:59")))
                    .isTrue();
            assertThat(enabled(time, new Value.Time(java.time.LocalTime.parse("12:00:00"), "12:00:00")))
                    .isFalse();
        }

        @Test
        void quantitiesCompareOnlyWithTheSameUnit() {
            QuestionnaireDefinition d = oneCondition(
                    "quantity",
                    false,
                    ">",
                    "\"answerQuantity\": {\"value\": 38, \"system\": \"http://unitsofmeasure.org\", \"code\": \"Cel\"}");

            assertThat(enabled(
                            d,
                            new Value.Quantity(
                                    new java.math.BigDecimal("38.5"), "°C", "http://unitsofmeasure.org", "Cel")))
                    .isTrue();
            assertThat(enabled(
                            d,
                            new Value.Quantity(
                                    new java.math.BigDecimal("101"), "°F", "http://unitsofmeasure.org", "[degF]")))
                    .as("another unit cannot be ordered")
                    .isFalse();
        }
    }

    @Nested
    class Behaviour {
        private final QuestionnaireDefinition all = two("all");
        private final QuestionnaireDefinition any = two("any");

        private QuestionnaireDefinition two(String behavior) {
            return Responses.questionnaire("""
                    {"resourceType": "Questionnaire", "id": "t", "url": "https://example.org/Q/t", "version": "1",
                     "status": "active", "item": [
                       {"linkId": "a", "type": "integer"}, {"linkId": "b", "type": "integer"},
                       {"linkId": "t", "type": "string", "enableBehavior": "%s", "enableWhen": [
                         {"question": "a", "operator": ">", "answerInteger": 0},
                         {"question": "b", "operator": ">", "answerInteger": 0}]}]}
                    """.formatted(behavior));
        }

        private boolean enabled(QuestionnaireDefinition d, int a, int b) {
            return Enablement.of(d, Map.of("a", List.of(integer(a)), "b", List.of(integer(b))))
                    .enabled("t");
        }

        @Test
        void allNeedsEveryConditionAndAnyNeedsOne() {
            assertThat(enabled(all, 1, 1)).isTrue();
            assertThat(enabled(all, 1, 0)).isFalse();
            assertThat(enabled(all, 0, 0)).isFalse();
            assertThat(enabled(any, 1, 0)).isTrue();
            assertThat(enabled(any, 0, 1)).isTrue();
            assertThat(enabled(any, 0, 0)).isFalse();
        }
    }

    @Nested
    class DisabledItems {
        private final QuestionnaireDefinition chain = Responses.questionnaire("""
                {"resourceType": "Questionnaire", "id": "t", "url": "https://example.org/Q/t", "version": "1",
                 "status": "active", "item": [
                   {"linkId": "a", "type": "boolean"},
                   {"linkId": "b", "type": "integer",
                    "enableWhen": [{"question": "a", "operator": "=", "answerBoolean": true}]},
                   {"linkId": "c-ne", "type": "string",
                    "enableWhen": [{"question": "b", "operator": "!=", "answerInteger": 3}]},
                   {"linkId": "c-exists", "type": "string",
                    "enableWhen": [{"question": "b", "operator": "exists", "answerBoolean": true}]},
                   {"linkId": "g", "type": "group",
                    "enableWhen": [{"question": "a", "operator": "=", "answerBoolean": true}],
                    "item": [{"linkId": "g1", "type": "string"},
                             {"linkId": "g2", "type": "string",
                              "enableWhen": [{"question": "a", "operator": "=", "answerBoolean": false}]}]}]}
                """);

        @Test
        void aConditionOnADisabledQuestionProceedsAsThoughItWereNotValuedEvenIfAnAnswerWasSent() {
            // GIVEN b carries 3 but a=false disables it
            Enablement e = Enablement.of(chain, Map.of("a", List.of(new Value.Bool(false)), "b", List.of(integer(3))));

            // THEN b is not valued: "!= 3" holds (no answer equals 3) and "exists" does not
            assertThat(e.enabled("b")).isFalse();
            assertThat(e.enabled("c-ne")).isTrue();
            assertThat(e.enabled("c-exists")).isFalse();
        }

        @Test
        void aDisabledGroupDisablesItsItemsWhateverTheirOwnConditions() {
            Enablement off = Enablement.of(chain, Map.of("a", List.of(new Value.Bool(false))));
            Enablement on = Enablement.of(chain, Map.of("a", List.of(new Value.Bool(true))));

            // g2's own condition (a = false) holds, yet its group is disabled
            assertThat(off.enabled("g")).isFalse();
            assertThat(off.enabled("g1")).isFalse();
            assertThat(off.conditionsHold(chain.allItems().stream()
                            .filter(i -> i.linkId().equals("g2"))
                            .findFirst()
                            .orElseThrow()))
                    .isTrue();
            assertThat(off.enabled("g2")).isFalse();
            assertThat(on.enabled("g1")).isTrue();
            assertThat(on.enabled("g2")).isFalse();
        }

        @Test
        void anItemMayDependOnALaterQuestion() {
            QuestionnaireDefinition forward = Responses.questionnaire("""
                    {"resourceType": "Questionnaire", "id": "t", "url": "https://example.org/Q/t", "version": "1",
                     "status": "active", "item": [
                       {"linkId": "t", "type": "string",
                        "enableWhen": [{"question": "q", "operator": "=", "answerBoolean": true}]},
                       {"linkId": "q", "type": "boolean"}]}
                    """);

            assertThat(Enablement.of(forward, Map.of("q", List.of(new Value.Bool(true))))
                            .enabled("t"))
                    .isTrue();
            assertThat(Enablement.of(forward, Map.of()).enabled("t")).isFalse();
        }
    }
}
