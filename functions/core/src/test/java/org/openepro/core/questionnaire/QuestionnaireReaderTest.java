package org.openepro.core.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openepro.core.http.Problem.FieldError;

/** Publication-time refusal: everything outside the subset, and every rule the backend could not enforce, listed at once. */
class QuestionnaireReaderTest {
    private static final String YN = """
            "answerOption": [{"valueCoding": {"system": "https://example.org/yn", "code": "y"},
                              "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 1}]},
                             {"valueCoding": {"system": "https://example.org/yn", "code": "n"},
                              "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": 0}]}]""";

    private static String questionnaire(String rest) {
        return """
                {"resourceType": "Questionnaire", "id": "x", "url": "https://example.org/Q/x", "version": "1",
                 "status": "active", %s}""".formatted(rest);
    }

    private static List<FieldError> issues(String json) {
        QuestionnaireReader.Result r = Responses.read(json);
        assertThat(r.ok()).isFalse();
        assertThat(r.definition()).isNull();
        return r.issues();
    }

    @Test
    void everyPackagedInstrumentIsInsideTheSubset() {
        assertThat(QuestionnaireRegistry.load().all()).hasSize(8);
    }

    @Test
    void listsEveryElementOutsideTheSubsetWithItsPointer() {
        List<FieldError> issues = issues(questionnaire("""
                "contained": [], "modifierExtension": [],
                "extension": [{"url": "https://example.org/mine", "valueString": "x"}],
                "item": [
                  {"linkId": "a", "type": "attachment"},
                  {"linkId": "b", "type": "choice", "answerValueSet": "http://loinc.org/vs/LL358-3"},
                  {"linkId": "c", "type": "choice", "answerOption": [{"valueString": "red"}]},
                  {"linkId": "d", "type": "group", "repeats": true, "item": [{"linkId": "d1", "type": "string"}]},
                  {"linkId": "e", "type": "string", "item": [{"linkId": "e1", "type": "string"}]},
                  {"linkId": "f", "type": "integer",
                   "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden", "valueBoolean": true}]},
                  {"linkId": "g", "type": "string",
                   "enableWhen": [{"question": "f", "operator": "exists", "answerBoolean": true, "id": "x"}]}]"""));

        assertThat(issues)
                .extracting(FieldError::pointer, FieldError::code)
                .contains(
                        tuple("/contained", "unsupported-element"),
                        tuple("/modifierExtension", "unsupported-element"),
                        tuple("/extension/0", "unsupported-extension"),
                        tuple("/item/0/type", "unsupported-value"),
                        tuple("/item/1/answerValueSet", "unsupported-element"),
                        tuple("/item/2/answerOption/0", "unsupported-element"),
                        tuple("/item/3/repeats", "unsupported-value"),
                        tuple("/item/4/item", "unsupported-element"),
                        tuple("/item/5/extension/0", "unsupported-extension"),
                        tuple("/item/6/enableWhen/0/id", "unsupported-element"));
    }

    @Test
    void refusesADraftAndAQuestionnaireWithoutCanonicalParts() {
        List<FieldError> issues = issues("""
                {"resourceType": "Questionnaire", "id": "x", "status": "draft",
                 "item": [{"linkId": "a", "type": "string"}]}""");

        assertThat(issues)
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactlyInAnyOrder(
                        tuple("/url", "required"),
                        tuple("/version", "required"),
                        tuple("/status", "unsupported-value"));
    }

    @Test
    void refusesEnableWhenTheEngineCouldNotDecide() {
        List<FieldError> issues = issues(questionnaire("""
                "item": [
                  {"linkId": "q", "type": "choice", %s},
                  {"linkId": "n", "type": "integer"},
                  {"linkId": "t1", "type": "string", "enableWhen": [{"question": "nope", "operator": "=", "answerInteger": 1}]},
                  {"linkId": "t2", "type": "string", "enableWhen": [{"question": "n", "operator": "exists", "answerInteger": 1}]},
                  {"linkId": "t3", "type": "string", "enableWhen": [
                    {"question": "n", "operator": ">", "answerInteger": 1}, {"question": "n", "operator": "<", "answerInteger": 9}]},
                  {"linkId": "t4", "type": "string", "enableWhen": [
                    {"question": "q", "operator": ">", "answerCoding": {"system": "https://example.org/yn", "code": "y"}}]},
                  {"linkId": "t5", "type": "string", "enableWhen": [
                    {"question": "q", "operator": "=", "answerCoding": {"system": "https://example.org/yn", "code": "maybe"}}]},
                  {"linkId": "t6", "type": "string", "enableWhen": [{"question": "q", "operator": "=", "answerCoding": {"code": "y"}}]},
                  {"linkId": "t7", "type": "string", "enableWhen": [{"question": "n", "operator": "=", "answerString": "1"}]},
                  {"linkId": "t8", "type": "string", "enableWhen": [{"question": "n", "operator": "~", "answerInteger": 1}]},
                  {"linkId": "c1", "type": "integer", "enableWhen": [{"question": "c2", "operator": "exists", "answerBoolean": true}]},
                  {"linkId": "c2", "type": "integer", "enableWhen": [{"question": "c1", "operator": "exists", "answerBoolean": true}]}]
                """.formatted(YN)));

        assertThat(issues)
                .extracting(FieldError::linkId, FieldError::code)
                .containsExactlyInAnyOrder(
                        tuple("t1", "unknown-item"),
                        tuple("t2", "invalid"),
                        tuple("t3", "required"),
                        tuple("t4", "invalid"),
                        tuple("t5", "unreachable"),
                        tuple("t6", "system-required"),
                        tuple("t7", "wrong-type"),
                        tuple("t8", "invalid"),
                        tuple("c1", "cycle"));
    }

    @Test
    void refusesScoresAndRulesThatNameMissingItemsOrCanNeverFire() {
        List<FieldError> issues = issues(questionnaire("""
                "extension": [
                  {"url": "https://openepro.dev/fhir/StructureDefinition/score", "extension": [
                    {"url": "id", "valueId": "total"}, {"url": "method", "valueCode": "sum"},
                    {"url": "item", "valueString": "q"}, {"url": "item", "valueString": "n"}]},
                  {"url": "https://openepro.dev/fhir/StructureDefinition/score", "extension": [
                    {"url": "id", "valueId": "yes"}, {"url": "method", "valueCode": "sum"},
                    {"url": "item", "valueString": "q"}, {"url": "min", "valueInteger": 0}, {"url": "max", "valueInteger": 3}]},
                  {"url": "https://openepro.dev/fhir/StructureDefinition/alert-rule", "extension": [
                    {"url": "id", "valueId": "ghost"}, {"url": "severity", "valueCode": "HIGH"},
                    {"url": "kind", "valueCode": "answer"}, {"url": "item", "valueString": "nope"},
                    {"url": "comparator", "valueCode": "ge"}, {"url": "threshold", "valueDecimal": 1}]},
                  {"url": "https://openepro.dev/fhir/StructureDefinition/alert-rule", "extension": [
                    {"url": "id", "valueId": "never"}, {"url": "severity", "valueCode": "HIGH"},
                    {"url": "kind", "valueCode": "answer"}, {"url": "item", "valueString": "q"},
                    {"url": "comparator", "valueCode": "gt"}, {"url": "threshold", "valueDecimal": 1}]},
                  {"url": "https://openepro.dev/fhir/StructureDefinition/alert-rule", "extension": [
                    {"url": "id", "valueId": "score-never"}, {"url": "severity", "valueCode": "HIGH"},
                    {"url": "kind", "valueCode": "score"}, {"url": "score", "valueId": "yes"},
                    {"url": "comparator", "valueCode": "ge"}, {"url": "threshold", "valueDecimal": 2}]},
                  {"url": "https://openepro.dev/fhir/StructureDefinition/alert-rule", "extension": [
                    {"url": "id", "valueId": "worse-never"}, {"url": "severity", "valueCode": "MEDIUM"},
                    {"url": "kind", "valueCode": "worsening"}, {"url": "item", "valueString": "q"},
                    {"url": "comparator", "valueCode": "ge"}, {"url": "threshold", "valueDecimal": 2}]},
                  {"url": "https://openepro.dev/fhir/StructureDefinition/alert-rule", "extension": [
                    {"url": "id", "valueId": "text"}, {"url": "severity", "valueCode": "LOW"},
                    {"url": "kind", "valueCode": "answer"}, {"url": "item", "valueString": "s"},
                    {"url": "comparator", "valueCode": "ge"}, {"url": "threshold", "valueDecimal": 2}]}],
                "item": [{"linkId": "q", "type": "choice", %s}, {"linkId": "n", "type": "integer"},
                         {"linkId": "s", "type": "string"}]""".formatted(YN)));

        assertThat(issues)
                .extracting(FieldError::code, FieldError::linkId)
                .containsExactlyInAnyOrder(
                        tuple("invalid", "n"), // a sum adds answerOption scores only
                        tuple("score-range", null), // declared 0-3, its items give 0-1
                        tuple("unknown-item", "nope"),
                        tuple("unreachable", null), // q's options score 0 and 1: never > 1
                        tuple("unreachable", null), // the score reaches 1 at most
                        tuple("unreachable", null), // q can worsen by 1 at most
                        tuple("invalid", "s")); // a string has no number to compare
    }

    @Test
    void aTranslationIsOfferedOnlyWhenEveryTextAndDisplayHasOne() {
        List<FieldError> issues = issues(
                questionnaire("""
                "language": "en", "item": [
                  {"linkId": "a", "type": "string", "text": "Name a colour",
                   "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                     "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Eine Farbe"}]}]}},
                  {"linkId": "b", "type": "choice", "text": "Yes or no?", %s}]""".formatted(YN.replace("\"code\": \"y\"}", "\"code\": \"y\", \"display\": \"Yes\"}"))));

        assertThat(issues)
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactlyInAnyOrder(
                        tuple("/item/1/_text", "incomplete-translation"),
                        tuple("/item/1/answerOption/0/valueCoding/_display", "incomplete-translation"));
    }

    @Test
    void aCompleteTranslationAddsItsLanguage() {
        QuestionnaireReader.Result r = Responses.read(questionnaire("""
                "language": "en", "item": [
                  {"linkId": "a", "type": "string", "text": "Name a colour",
                   "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                     "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Eine Farbe"}]}]}}]"""));

        assertThat(r.issues()).isEmpty();
        assertThat(r.definition().languages()).containsExactlyInAnyOrder("en", "de");
        assertThat(r.definition().matchLanguage("de-CH")).contains("de");
        assertThat(r.definition().matchLanguage("fr")).isEmpty();
        assertThat(r.definition().items().get(0).text("de")).isEqualTo("Eine Farbe");
    }

    @Test
    void aBranchSkipScoreMustNameAnOptionOfAConditionalItem() {
        List<FieldError> issues = issues(questionnaire("""
                "item": [
                  {"linkId": "q", "type": "choice", %1$s},
                  {"linkId": "t", "type": "choice", %1$s,
                   "extension": [{"url": "https://openepro.dev/fhir/StructureDefinition/branch-skipped", "valueCode": "maybe"}]}]
                """.formatted(YN)));

        assertThat(issues).extracting(FieldError::linkId, FieldError::code).containsExactly(tuple("t", "invalid"));
    }
}
