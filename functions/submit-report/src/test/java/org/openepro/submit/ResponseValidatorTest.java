package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.SampleResponses;
import org.openepro.core.report.Answer;
import org.openepro.core.validation.Issue;
import org.openepro.core.validation.ValidationFailure;
import org.openepro.core.validation.ValidationResult;

class ResponseValidatorTest {
    private static final QuestionnaireRegistry REGISTRY = QuestionnaireRegistry.load();
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final Participant PATIENT =
            Participant.of(StudyId.of("S1"), SiteId.of("SITE-1"), SubjectId.of("P-1"));

    private final ResponseValidator validator = new ResponseValidator(REGISTRY);
    private final RequestParser parser = new RequestParser();

    private static QuestionnaireDefinition q(String id) {
        return REGISTRY.latest(id).orElseThrow();
    }

    private ValidatedResponse validate(ObjectNode body) {
        return validator
                .validate(parser.parse(SampleResponses.bytes(body)), PATIENT, Optional.empty(), NOW)
                .orElseThrow(ApiException::refusing);
    }

    private List<FieldError> errors(ObjectNode body) {
        try {
            validate(body);
        } catch (ApiException e) {
            assertThat(e.problem().status()).isEqualTo(422);
            return e.problem().errors();
        }
        throw new AssertionError("expected a validation failure");
    }

    @Test
    void aRefusedResponseIsAResultWithEveryIssueNotAnException() {
        // GIVEN a GAD-7 response with an unknown item and a missing required one
        ObjectNode body = SampleResponses.of(q("gad-7"), "2026-11-27T10:00:00Z").json();
        ((ObjectNode) body.withArray("item").get(0)).put("linkId", "bogus");

        // WHEN it is validated
        ValidationResult<ValidatedResponse> result =
                validator.validate(parser.parse(SampleResponses.bytes(body)), PATIENT, Optional.empty(), NOW);

        // THEN the verdict carries no value, says why in one sentence, and lists each issue with where and which
        // rule (the HTTP adapter renders it: 422 problem+json, or an OperationOutcome for a FHIR client)
        assertThat(result.isValid()).isFalse();
        assertThat(result.value()).isNull();
        assertThat(result.failure()).isEqualTo(ValidationFailure.UNPROCESSABLE);
        assertThat(result.summary()).isEqualTo("2 problems in the QuestionnaireResponse; nothing was stored.");
        assertThat(result.errors()).extracting(Issue::code).containsExactlyInAnyOrder("unknown-item", "required");
        assertThat(result.errors()).allSatisfy(i -> assertThat(i.location()).startsWith("/item"));
        assertThat(ApiException.refusing(result).problem().errors())
                .extracting(FieldError::code)
                .containsExactlyInAnyOrder("unknown-item", "required");
    }

    @Test
    void acceptsAResponseOfEveryPackagedQuestionnaireInDefinitionOrder() {
        for (QuestionnaireDefinition d :
                REGISTRY.all().stream().filter(d -> !d.retired()).toList()) {
            ValidatedResponse v =
                    validate(SampleResponses.of(d, "2026-11-27T10:00:00+01:00").json());
            assertThat(v.answers())
                    .extracting(Answer::linkId)
                    .containsExactlyElementsOf(d.answerableItems().values().stream()
                            .filter(i -> i.required())
                            .map(i -> i.linkId())
                            .toList());
            assertThat(v.authoredAt()).isEqualTo(Instant.parse("2026-11-27T09:00:00Z"));
        }
    }

    @Test
    void storesTheDefinitionsCodingNotTheClientsDisplayText() {
        ObjectNode body = SampleResponses.of(q("phq-9"), "2026-11-27T10:00:00Z")
                .scores(Map.of("44260-8", 2))
                .json();
        ((ObjectNode) body.withArray("item").get(8).withArray("answer").get(0).get("valueCoding"))
                .put("display", "anything the app liked");

        Answer item9 = validate(body).answers().get(8);

        assertThat(item9.code()).isEqualTo("LA6570-1");
        assertThat(item9.display()).isEqualTo("More than half the days");
        assertThat(item9.number().intValue()).isEqualTo(2);
    }

    @Test
    void listsEveryProblemWithItsPointerAndLinkIdAndNeverTheValue() {
        ObjectNode body = SampleResponses.of(q("gad-7"), "2026-11-27T10:00:00Z").json();
        var items = body.withArray("item");
        ((ObjectNode) items.get(0)).put("linkId", "bogus");
        ((ObjectNode) items.get(1).withArray("answer").get(0).get("valueCoding")).put("code", "SECRET-CODE-42");
        items.remove(6);

        List<FieldError> errors = errors(body);

        assertThat(errors)
                .extracting(FieldError::code)
                .containsExactlyInAnyOrder("unknown-item", "not-allowed", "required", "required");
        assertThat(errors)
                .filteredOn(e -> e.code().equals("not-allowed"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.pointer()).isEqualTo("/item/1/answer/0/valueCoding");
                    assertThat(e.linkId()).isEqualTo("68509-9");
                });
        assertThat(errors)
                .filteredOn(e -> e.code().equals("required"))
                .extracting(FieldError::linkId)
                .containsExactlyInAnyOrder("69725-0", "69736-7");
        assertThat(errors).allSatisfy(e -> assertThat(e.detail()).doesNotContain("SECRET-CODE-42"));
    }

    @Test
    void knowsItemsOnlyWhereTheDefinitionPutsThem() {
        // GIVEN a GAD-7 response whose first item is wrapped in a group the questionnaire does not have
        ObjectNode body = SampleResponses.of(q("gad-7"), "2026-11-27T10:00:00Z").json();
        var items = body.withArray("item");
        ObjectNode group =
                org.openepro.core.json.Json.mapper().createObjectNode().put("linkId", "made-up-group");
        group.putArray("item").add(items.get(0).deepCopy());
        items.set(0, group);
        // AND its second item nested under its third, where the definition has no children
        ((ObjectNode) items.get(2)).putArray("item").add(items.get(1).deepCopy());
        items.remove(1);

        List<FieldError> errors = errors(body);

        // THEN both are unknown at their place, and the two questions count as unanswered
        assertThat(errors)
                .filteredOn(e -> e.code().equals("unknown-item"))
                .extracting(FieldError::pointer)
                .containsExactlyInAnyOrder("/item/0/linkId", "/item/1/item/0/linkId");
        assertThat(errors)
                .filteredOn(e -> e.code().equals("required"))
                .extracting(FieldError::linkId)
                .containsExactlyInAnyOrder("69725-0", "68509-9");
    }

    @Test
    void refusesASubjectNamedByAnotherIdentifierOrABareId() {
        for (String subject : List.of(
                "{\"identifier\":{\"value\":\"P-2\"}}",
                "{\"reference\":\"P-2\"}",
                "{\"reference\":\"Patient/P-1\",\"identifier\":{\"value\":\"P-2\"}}")) {
            ObjectNode body =
                    SampleResponses.of(q("pain-nrs"), "2026-11-27T10:00:00Z").json();
            try {
                body.set("subject", org.openepro.core.json.Json.mapper().readTree(subject));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            assertThatThrownBy(() -> validate(body))
                    .as(subject)
                    .isInstanceOfSatisfying(
                            ApiException.class,
                            e -> assertThat(e.problem().status()).isEqualTo(403));
        }
        ObjectNode own =
                SampleResponses.of(q("pain-nrs"), "2026-11-27T10:00:00Z").json();
        own.putObject("subject")
                .put("reference", "Patient/P-1")
                .putObject("identifier")
                .put("value", "P-1");
        assertThat(validate(own).answers()).hasSize(1);
    }

    @Test
    void checksAuthoredForAnOffsetAndTheFutureWithAClockSkew() {
        QuestionnaireDefinition nrs = q("pain-nrs");
        assertThat(validate(SampleResponses.of(nrs, "2026-11-27T12:04:00Z").json())
                        .authoredAt())
                .as("within the skew")
                .isEqualTo(Instant.parse("2026-11-27T12:04:00Z"));
        assertThat(errors(SampleResponses.of(nrs, "2026-11-27T12:06:00Z").json()))
                .extracting(FieldError::code)
                .containsExactly("in-future");
        assertThat(errors(SampleResponses.of(nrs, "2026-11-27T12:00:00").json()))
                .extracting(FieldError::code)
                .containsExactly("offset-required");
        assertThat(errors(SampleResponses.of(nrs, "2026-11-27T12:00Z").json()))
                .extracting(FieldError::code)
                .containsExactly("offset-required");
    }

    @Test
    void keepsNumbersInsideTheirRangeAndWhole() {
        QuestionnaireDefinition nrs = q("pain-nrs");
        assertThat(validate(SampleResponses.of(nrs, "2026-11-27T10:00:00Z")
                                .scores(Map.of("72514-3", 10))
                                .json())
                        .answers()
                        .get(0)
                        .number()
                        .intValue())
                .isEqualTo(10);
        assertThat(errors(SampleResponses.of(nrs, "2026-11-27T10:00:00Z")
                        .scores(Map.of("72514-3", 11))
                        .json()))
                .extracting(FieldError::code)
                .containsExactly("out-of-range");
        ObjectNode decimal = SampleResponses.of(nrs, "2026-11-27T10:00:00Z").json();
        ((ObjectNode) decimal.withArray("item").get(0).withArray("answer").get(0)).put("valueInteger", 3.5);
        assertThat(errors(decimal)).extracting(FieldError::code).containsExactly("not-integer");
    }

    @Test
    void normalisesFreeTextToNfcAndFlagsItAsPossiblyIdentifying() {
        Answer text = new ResponseValidatorHarness().textAnswer("Cafe\u0301");
        assertThat(text.text()).isEqualTo("Caf\u00e9");
        assertThat(text.possiblyIdentifying()).isTrue();
    }

    @Test
    void refusesABodyNamingAnotherSubjectBeforeAnythingElse() {
        ObjectNode body = SampleResponses.of(q("pain-nrs"), "not a date").json();
        body.putObject("subject").put("reference", "Patient/P-2");

        assertThatThrownBy(() -> validate(body))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.problem().status()).isEqualTo(403));
    }

    @Test
    void anAmendmentNeedsTheOriginalIdAndAReason() {
        ObjectNode body =
                SampleResponses.of(q("pain-nrs"), "2026-11-27T10:00:00Z").json();
        body.put("status", "amended");
        assertThat(errors(body)).extracting(FieldError::code).containsExactlyInAnyOrder("required", "reason-required");

        body.put("id", "0190a1b2-0000-7000-8000-000000000001");
        body.putArray("extension")
                .addObject()
                .put("url", ResponseValidator.AMENDMENT_REASON_EXTENSION)
                .put("valueString", "  wrong day  ");
        ValidatedResponse v = validate(body);
        assertThat(v.amendsReportId()).isEqualTo("0190a1b2-0000-7000-8000-000000000001");
        assertThat(v.amendmentReason()).isEqualTo("wrong day");
    }

    /** A definition with a free-text item, to test text handling the packaged instruments lack. */
    private static final class ResponseValidatorHarness {
        Answer textAnswer(String text) {
            ObjectNode resource;
            try {
                resource = (ObjectNode) org.openepro.core.json.Json.mapper()
                        .readTree(q("pain-nrs").fhirJson());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            resource.put("id", "note").put("url", "https://openepro.dev/fhir/Questionnaire/note");
            resource.remove("extension");
            ObjectNode item = (ObjectNode) resource.withArray("item").get(0);
            item.put("type", "string").put("linkId", "note");
            item.remove("extension");
            item.remove("code");
            String json = resource.toString();
            QuestionnaireDefinition note =
                    QuestionnaireRegistry.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ResponseValidator v = new ResponseValidator(QuestionnaireRegistry.of(List.of(note)));
            ObjectNode body = SampleResponses.of(note, "2026-11-27T10:00:00Z").json();
            ((ObjectNode) body.withArray("item").get(0).withArray("answer").get(0))
                    .removeAll()
                    .put("valueString", text);
            return v.validate(new RequestParser().parse(SampleResponses.bytes(body)), PATIENT, Optional.empty(), NOW)
                    .orElseThrow(ApiException::refusing)
                    .answers()
                    .get(0);
        }
    }

    @Test
    void aRetiredVersionTakesNoNewResponses() {
        QuestionnaireDefinition retired = REGISTRY.byCanonical(
                        "https://openepro.dev/fhir/Questionnaire/pro-ctcae|1.0.0")
                .orElseThrow();
        ObjectNode body = SampleResponses.of(retired, "2026-11-27T10:00:00Z").json();

        assertThat(errors(body)).extracting(FieldError::code).containsExactly("retired");
    }

    @Test
    void recordsTheLanguageAnsweredInAndRefusesOneTheQuestionnaireDoesNotHave() {
        ObjectNode unset =
                SampleResponses.of(q("phq-9"), "2026-11-27T10:00:00Z").json();
        ObjectNode regional = unset.deepCopy().put("language", "en-GB");
        ObjectNode german = unset.deepCopy().put("language", "de");

        assertThat(validate(unset).language())
                .as("the questionnaire's base language")
                .isEqualTo("en");
        assertThat(validate(regional).language()).isEqualTo("en");
        assertThat(errors(german))
                .extracting(FieldError::pointer, FieldError::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/language", "unknown-language"));
    }
}
