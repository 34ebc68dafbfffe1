package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.submit.StackAssertions.auditEvents;
import static org.openepro.submit.StackAssertions.drain;
import static org.openepro.submit.StackAssertions.reports;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openepro.core.id.Participant;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;

/** Every class of bad input gets a clear 4xx problem, never a 5xx, and nothing is stored or enqueued. */
@ExtendWith(AwsEmulatorExtension.class)
class BadInputIT {
    private EmulatedStack stack;
    private SubmitReportHandler handler;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.handler = new SubmitReportHandler(SubmitWiring.builder(
                        SubmitConfig.fromEnv(stack.env("SubmitReportFunction")),
                        stack.clientsFor("SubmitReportFunction"))
                .build());
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                bad("malformed JSON", "submit-invalid-malformed-json.json", e -> {}, 400, "malformed-request", null),
                bad(
                        "wrong content type",
                        "submit-invalid-content-type.json",
                        e -> {},
                        415,
                        "unsupported-media-type",
                        null),
                bad(
                        "non-UTF-8 charset",
                        "submit-pain-nrs.json",
                        e -> TestRequests.header(e, "content-type", "application/fhir+json; charset=latin1"),
                        415,
                        "unsupported-media-type",
                        null),
                bad(
                        "body over 64 KiB",
                        "submit-pain-nrs.json",
                        e -> {
                            ObjectNode body = TestRequests.body(e);
                            body.putObject("text").put("div", "x".repeat(70_000));
                            e.setBody(body.toString());
                        },
                        413,
                        "payload-too-large",
                        null),
                bad(
                        "base64 body over 64 KiB",
                        "submit-pain-nrs.json",
                        e -> {
                            e.setBody(Base64.getEncoder().encodeToString(new byte[70_000]));
                            e.setIsBase64Encoded(true);
                        },
                        413,
                        "payload-too-large",
                        null),
                bad(
                        "nesting deeper than 32",
                        "submit-pain-nrs.json",
                        e -> {
                            ObjectNode body = TestRequests.body(e);
                            ObjectNode deep = body.putObject("meta");
                            for (int i = 0; i < 40; i++) {
                                deep = deep.putObject("n");
                            }
                            e.setBody(body.toString());
                        },
                        400,
                        "malformed-request",
                        null),
                bad(
                        "number longer than 100 digits",
                        "submit-pain-nrs.json",
                        e -> e.setBody(
                                e.getBody().replace("\"valueInteger\":4", "\"valueInteger\":4" + "0".repeat(120))),
                        400,
                        "malformed-request",
                        null),
                bad(
                        "duplicate keys",
                        "submit-pain-nrs.json",
                        e -> e.setBody(e.getBody()
                                .replace(
                                        "\"status\":\"completed\"",
                                        "\"status\":\"completed\",\"status\":\"completed\"")),
                        400,
                        "malformed-request",
                        null),
                bad(
                        "content after the JSON document",
                        "submit-pain-nrs.json",
                        e -> e.setBody(e.getBody() + " trailing"),
                        400,
                        "malformed-request",
                        null),
                bad(
                        "two JSON documents",
                        "submit-pain-nrs.json",
                        e -> e.setBody(e.getBody() + e.getBody()),
                        400,
                        "malformed-request",
                        null),
                bad(
                        "a string where FHIR has an integer",
                        "submit-pain-nrs.json",
                        e -> e.setBody(e.getBody().replace("\"valueInteger\":4", "\"valueInteger\":\"4\"")),
                        400,
                        "malformed-request",
                        "wrong-json-type"),
                bad(
                        "no idempotency key",
                        "submit-pain-nrs.json",
                        e -> TestRequests.header(e, "idempotency-key", null),
                        400,
                        "missing-idempotency-key",
                        "required"),
                bad(
                        "idempotency key not a UUID",
                        "submit-pain-nrs.json",
                        e -> TestRequests.header(e, "idempotency-key", "12345"),
                        400,
                        "missing-idempotency-key",
                        "invalid"),
                bad(
                        "unknown item and answer not allowed",
                        "submit-invalid-phq9-answers.json",
                        e -> {},
                        422,
                        "validation-failed",
                        "unknown-item"),
                bad(
                        "unknown questionnaire",
                        "submit-pain-nrs.json",
                        body(b -> b.put("questionnaire", "https://openepro.dev/fhir/Questionnaire/pain-nrs|9.9.9")),
                        422,
                        "validation-failed",
                        "unknown-questionnaire"),
                bad(
                        "status in-progress",
                        "submit-pain-nrs.json",
                        body(b -> b.put("status", "in-progress")),
                        422,
                        "validation-failed",
                        "invalid-status"),
                bad(
                        "authored without an offset",
                        "submit-pain-nrs.json",
                        body(b -> b.put("authored", "2026-11-27T08:02:11")),
                        422,
                        "validation-failed",
                        "offset-required"),
                bad(
                        "authored as a date only",
                        "submit-pain-nrs.json",
                        body(b -> b.put("authored", "2026-11-27")),
                        422,
                        "validation-failed",
                        "offset-required"),
                bad(
                        "authored in the future",
                        "submit-pain-nrs.json",
                        body(b -> b.put("authored", "2099-01-01T00:00:00Z")),
                        422,
                        "validation-failed",
                        "in-future"),
                bad(
                        "required item missing",
                        "submit-gad7.json",
                        body(b -> b.withArray("item").remove(2)),
                        422,
                        "validation-failed",
                        "required"),
                bad(
                        "item answered twice",
                        "submit-gad7.json",
                        body(b -> {
                            var answers = ((ObjectNode) b.withArray("item").get(0)).withArray("answer");
                            answers.add(answers.get(0).deepCopy());
                        }),
                        422,
                        "validation-failed",
                        "multiple-answers"),
                bad(
                        "item repeated",
                        "submit-gad7.json",
                        body(b -> b.withArray("item")
                                .add(b.withArray("item").get(0).deepCopy())),
                        422,
                        "validation-failed",
                        "duplicate-item"),
                bad(
                        "number out of range",
                        "submit-pain-nrs.json",
                        e -> e.setBody(e.getBody().replace("\"valueInteger\":4", "\"valueInteger\":11")),
                        422,
                        "validation-failed",
                        "out-of-range"),
                bad(
                        "wrong answer type",
                        "submit-pain-nrs.json",
                        e -> e.setBody(e.getBody().replace("\"valueInteger\":4", "\"valueString\":\"four\"")),
                        422,
                        "validation-failed",
                        "wrong-type"),
                bad(
                        "no token claims",
                        "submit-pain-nrs.json",
                        e -> e.getRequestContext().getAuthorizer().getJwt().setClaims(new HashMap<>()),
                        401,
                        "unauthenticated",
                        null),
                bad(
                        "token without the participant claims",
                        "submit-pain-nrs.json",
                        e -> {
                            var claims = new HashMap<>(e.getRequestContext()
                                    .getAuthorizer()
                                    .getJwt()
                                    .getClaims());
                            claims.remove("subject_id");
                            e.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
                        },
                        403,
                        "forbidden",
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void answersWithAProblemAndStoresNothing(
            String name,
            String sample,
            Consumer<APIGatewayV2HTTPEvent> spoil,
            int status,
            String problem,
            String fieldCode) {
        // GIVEN a participant's otherwise valid request, spoiled in one way
        Participant patient = TestRequests.newPatient();
        APIGatewayV2HTTPEvent event = TestRequests.sample(sample, patient);
        spoil.accept(event);

        // WHEN it is posted
        var response = handler.handleRequest(event, null);

        // THEN a problem document, and nothing stored, audited or enqueued
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        JsonNode p = TestRequests.json(response);
        assertThat(p.path("type").asText()).isEqualTo("https://openepro.dev/problems/" + problem);
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("detail").asText()).isNotBlank();
        if (fieldCode != null) {
            assertThat(TestRequests.errorCodes(response)).contains(fieldCode);
        }
        assertThat(reports(stack, patient)).isEmpty();
        assertThat(auditEvents(stack, patient.studyId())).isEmpty();
        assertThat(drain(stack, "IndexQueue")).isEmpty();
        assertThat(drain(stack, "AlertQueue")).isEmpty();
    }

    @Test
    void aFhirClientGetsEachValidationIssueAsAnOperationOutcomeIssueAndNothingIsStored() {
        // GIVEN a response whose first item names no item of the questionnaire (so the real first one is missing)
        Participant patient = TestRequests.newPatient();
        APIGatewayV2HTTPEvent event = TestRequests.header(
                TestRequests.sample("submit-pain-nrs.json", patient), "accept", "application/fhir+json");
        body(b -> ((ObjectNode) b.withArray("item").get(0)).put("linkId", "bogus"))
                .accept(event);

        // WHEN it is posted by a client that asks for FHIR
        var response = handler.handleRequest(event, null);

        // THEN 422 as an OperationOutcome with one issue per finding, each with its code and FHIRPath expression
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(422);
        assertThat(response.getHeaders().get("content-type")).startsWith("application/fhir+json");
        JsonNode outcome = TestRequests.json(response);
        assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
        List<String> codes = new ArrayList<>();
        outcome.path("issue")
                .forEach(i -> codes.add(
                        i.path("details").path("coding").path(0).path("code").asText()));
        assertThat(codes).containsExactlyInAnyOrder("unknown-item", "required");
        outcome.path("issue").forEach(i -> {
            assertThat(i.path("severity").asText()).isEqualTo("error");
            assertThat(i.path("expression").path(0).asText()).startsWith("QuestionnaireResponse.item");
        });
        assertThat(reports(stack, patient)).isEmpty();
        assertThat(drain(stack, "IndexQueue")).isEmpty();
        assertThat(drain(stack, "AlertQueue")).isEmpty();
    }

    private static Arguments bad(
            String name,
            String sample,
            Consumer<APIGatewayV2HTTPEvent> spoil,
            int status,
            String problem,
            String fieldCode) {
        return Arguments.of(name, sample, spoil, status, problem, fieldCode);
    }

    private static Consumer<APIGatewayV2HTTPEvent> body(Consumer<ObjectNode> change) {
        return e -> {
            ObjectNode b = TestRequests.body(e);
            change.accept(b);
            e.setBody(b.toString());
        };
    }
}
