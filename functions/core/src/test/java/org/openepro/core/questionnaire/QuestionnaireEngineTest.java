package org.openepro.core.questionnaire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.report.Answer;

/** The engine's response rules on a questionnaire that uses every part of the subset. */
class QuestionnaireEngineTest {
    private static final String YN = "https://example.org/yn";
    private static final QuestionnaireDefinition DIARY = Responses.questionnaire("""
            {"resourceType": "Questionnaire", "id": "diary", "url": "https://example.org/Q/diary", "version": "1",
             "status": "active", "language": "en", "item": [
               {"linkId": "intro", "type": "display", "text": "About today",
                "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                  "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Über heute"}]}]}},
               {"linkId": "slept", "type": "choice", "text": "Did you sleep?", "required": true,
                "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                  "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Geschlafen?"}]}]},
                "answerOption": [
                  {"valueCoding": {"system": "%1$s", "code": "y", "display": "Yes",
                    "_display": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Ja"}]}]}}},
                  {"valueCoding": {"system": "%1$s", "code": "n", "display": "No",
                    "_display": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                      "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Nein"}]}]}}}]},
               {"linkId": "sleep", "type": "group", "required": true,
                "enableWhen": [{"question": "slept", "operator": "=", "answerCoding": {"system": "%1$s", "code": "y"}}],
                "item": [
                  {"linkId": "bedtime", "type": "time", "text": "Bedtime",
                   "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                     "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Bettzeit"}]}]}},
                  {"linkId": "hours", "type": "decimal", "text": "Hours", "required": true,
                   "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                     "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Stunden"}]}]}}]},
               {"linkId": "symptoms", "type": "open-choice", "repeats": true, "maxLength": 20, "text": "Symptoms",
                "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                  "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Symptome"}]}]},
                "answerOption": [{"valueCoding": {"system": "%1$s", "code": "cough", "display": "Cough",
                  "_display": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                    "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Husten"}]}]}}}]},
               {"linkId": "temp", "type": "quantity", "text": "Temperature",
                "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                  "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Temperatur"}]}]}},
               {"linkId": "device", "type": "string", "readOnly": true, "initial": [{"valueString": "watch"}],
                "text": "Device",
                "_text": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/translation",
                  "extension": [{"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Gerät"}]}]}}]}
            """.formatted(YN));

    private static QuestionnaireEngine.Checked check(String items) {
        return QuestionnaireEngine.check(DIARY, Responses.items(items), null);
    }

    private static List<String> codes(QuestionnaireEngine.Checked c) {
        return c.errors().stream().map(e -> e.code() + ":" + e.linkId()).toList();
    }

    @Test
    void acceptsAFullResponseAndStoresTheDefinitionsCodesInItsOrder() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"system": "%s", "code": "y", "display": "Yes"}}]},
                 {"linkId": "sleep", "item": [
                   {"linkId": "bedtime", "answer": [{"valueTime": "22:30:00"}]},
                   {"linkId": "hours", "answer": [{"valueDecimal": 7.5}]}]},
                 {"linkId": "symptoms", "answer": [{"valueCoding": {"system": "%s", "code": "cough"}},
                                                   {"valueString": "itchy eyes"}]},
                 {"linkId": "temp", "answer": [{"valueQuantity": {"value": 37.2, "unit": "°C",
                   "system": "http://unitsofmeasure.org", "code": "Cel"}}]},
                 {"linkId": "device", "answer": [{"valueString": "watch"}]}]
                """.formatted(YN, YN));

        assertThat(c.errors()).isEmpty();
        assertThat(c.answers())
                .extracting(Answer::linkId)
                .containsExactly("slept", "bedtime", "hours", "symptoms", "symptoms", "temp", "device");
        assertThat(c.answers().get(3).code()).isEqualTo("cough");
        assertThat(c.answers().get(4).text()).isEqualTo("itchy eyes");
        assertThat(c.answers().get(4).possiblyIdentifying()).isTrue();
        assertThat(c.answers().get(3).possiblyIdentifying()).isFalse();
        assertThat(c.answers().get(5).number()).isEqualByComparingTo("37.2");
        assertThat(c.answers().get(5).code()).isEqualTo("Cel");
        assertThat(c.answers().get(1).text()).isEqualTo("22:30:00");
    }

    @Test
    void aDisabledGroupIsNotRequiredAndItsAnsweredItemsAreRefusedByName() {
        QuestionnaireEngine.Checked notAsked = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"system": "%s", "code": "n"}}]}]""".formatted(YN));
        QuestionnaireEngine.Checked answered = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"system": "%s", "code": "n"}}]},
                 {"linkId": "sleep", "item": [{"linkId": "hours", "answer": [{"valueDecimal": 3}]}]}]""".formatted(YN));

        assertThat(notAsked.errors()).isEmpty();
        assertThat(notAsked.disabled()).containsExactly("bedtime", "hours");
        assertThat(answered.errors())
                .extracting(FieldError::code, FieldError::linkId, FieldError::pointer)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("disabled-item", "hours", "/item/1/item/0/answer"));
    }

    @Test
    void anEnabledRequiredGroupNeedsItsRequiredItems() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"system": "%s", "code": "y"}}]}]""".formatted(YN));

        assertThat(codes(c)).containsExactlyInAnyOrder("required:sleep", "required:hours");
    }

    @Test
    void aCodingWithoutItsSystemIsRefusedEvenWhenTheCodeExists() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"code": "n"}}]}]""");

        assertThat(c.errors())
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("system-required", "/item/0/answer/0/valueCoding/system"));
    }

    @Test
    void aCodingFromAnotherSystemIsNotAnOption() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"system": "https://other.org", "code": "n"}}]}]""");

        assertThat(codes(c)).containsExactly("not-allowed:slept");
    }

    @Test
    void itemsOutOfTheQuestionnairesOrderAreRefused() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "temp", "answer": [{"valueQuantity": {"value": 37}}]},
                 {"linkId": "slept", "answer": [{"valueCoding": {"system": "%s", "code": "n"}}]}]""".formatted(YN));

        assertThat(c.errors())
                .extracting(FieldError::code, FieldError::linkId, FieldError::pointer)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("out-of-order", "slept", "/item/1"));
    }

    @Test
    void textsAndDisplaysThatDifferAreRecordedNeverStored() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "slept", "text": "Did you sleep well, dear?",
                  "answer": [{"valueCoding": {"system": "%s", "code": "y", "display": "Absolutely"}}]},
                 {"linkId": "sleep", "item": [{"linkId": "hours", "text": "  Hours ", "answer": [{"valueDecimal": 8}]}]}]
                """.formatted(YN));

        assertThat(c.errors()).isEmpty();
        assertThat(c.textDiffers()).containsExactly("slept");
        assertThat(c.warnings()).extracting(FieldError::code).containsExactly("text-differs", "display-differs");
        assertThat(c.answers().get(0).display()).isEqualTo("Yes");
    }

    @Test
    void textsAreComparedInTheResponsesLanguageAndTheBaseDisplayIsStored() {
        QuestionnaireEngine.Checked c = QuestionnaireEngine.check(DIARY, Responses.items("""
                [{"linkId": "slept", "text": "Geschlafen?",
                  "answer": [{"valueCoding": {"system": "%s", "code": "n", "display": "Nein"}}]}]""".formatted(YN)), "de");

        assertThat(c.errors()).isEmpty();
        assertThat(c.textDiffers()).isEmpty();
        assertThat(c.answers().get(0).display()).isEqualTo("No");
    }

    @Test
    void aNonRepeatingItemTakesOneAnswerAndARepeatingOneSeveral() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"system": "%1$s", "code": "n"}},
                                                {"valueCoding": {"system": "%1$s", "code": "y"}}]}]""".formatted(YN));

        assertThat(codes(c)).containsExactly("multiple-answers:slept");
    }

    @Test
    void aReadOnlyItemTakesOnlyItsInitialValue() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"system": "%s", "code": "n"}}]},
                 {"linkId": "device", "answer": [{"valueString": "phone"}]}]""".formatted(YN));

        assertThat(codes(c)).containsExactly("read-only:device");
    }

    @Test
    void freeTextOfAnOpenChoiceKeepsItsMaxLength() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"system": "%s", "code": "n"}}]},
                 {"linkId": "symptoms", "answer": [{"valueString": "a very long description of it all"}]}]""".formatted(YN));

        assertThat(codes(c)).containsExactly("too-long:symptoms");
    }

    @Test
    void answersOfTheWrongTypeOrMalformedValuesAreRefusedEachWithItsPointer() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "intro", "answer": [{"valueString": "x"}]},
                 {"linkId": "slept", "answer": [{"valueBoolean": true}]},
                 {"linkId": "sleep", "answer": [{"valueBoolean": true}]},
                 {"linkId": "temp", "answer": [{"valueQuantity": {"unit": "°C"}}]}]""");

        assertThat(c.errors())
                .extracting(FieldError::code, FieldError::pointer)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("no-answer-expected", "/item/0/answer"),
                        org.assertj.core.groups.Tuple.tuple("wrong-type", "/item/1/answer/0"),
                        org.assertj.core.groups.Tuple.tuple("wrong-type", "/item/2/answer"),
                        org.assertj.core.groups.Tuple.tuple("required", "/item/3/answer/0/valueQuantity/value"));
    }

    @Test
    void anItemIsKnownOnlyWhereTheDefinitionPutsItAndOnlyOnce() {
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"system": "%1$s", "code": "y"}}]},
                 {"linkId": "hours", "answer": [{"valueDecimal": 8}]},
                 {"linkId": "sleep", "item": [{"linkId": "hours", "answer": [{"valueDecimal": 8}]}]},
                 {"linkId": "slept", "answer": [{"valueCoding": {"system": "%1$s", "code": "y"}}]}]""".formatted(YN));

        assertThat(codes(c)).containsExactly("unknown-item:hours", "duplicate-item:slept");
    }

    @Test
    void aRefusedAnswerDoesNotDecideWhatItEnablesOnlyItsOwnErrorIsListed() {
        // GIVEN "slept" answered without system: whether the sleep group is asked cannot be known
        QuestionnaireEngine.Checked c = check("""
                [{"linkId": "slept", "answer": [{"valueCoding": {"code": "y"}}]},
                 {"linkId": "sleep", "item": [{"linkId": "hours", "answer": [{"valueDecimal": 8}]}]}]""");

        assertThat(codes(c)).containsExactly("system-required:slept");
    }
}
