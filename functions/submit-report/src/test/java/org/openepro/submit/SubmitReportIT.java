package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.submit.StackAssertions.auditEvents;
import static org.openepro.submit.StackAssertions.drain;
import static org.openepro.submit.StackAssertions.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsEmulatorExtension.class)
class SubmitReportIT {
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

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "submit-phq9.json, phq-9|1.1.0, total, 8, mild",
        "submit-gad7.json, gad-7|1.1.0, total, 12, moderate",
        "submit-pain-nrs.json, pain-nrs|1.0.0, pain, 4, moderate",
        "submit-pro-ctcae.json, pro-ctcae|1.1.0, , , ",
        "submit-eq-5d-5l.json, eq-5d-5l|1.0.0, vas, 72, "
    })
    void storesAValidSubmissionOfEachQuestionnaireAndEnqueuesIt(
            String sample, String questionnaire, String scoreId, String score, String band) {
        // GIVEN a participant and the app's sample submission
        Participant patient = TestRequests.newPatient();

        // WHEN it is posted
        var event = TestRequests.sample(sample, patient);
        String tokenSubject =
                event.getRequestContext().getAuthorizer().getJwt().getClaims().get("sub");
        var response = handler.handleRequest(event, null);

        // THEN 201 with the receipt, and the report is stored, audited and on both queues
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        JsonNode receipt = TestRequests.json(response);
        String reportId = receipt.path("reportId").asText();
        assertThat(response.getHeaders()).containsEntry("location", "/v1/reports/" + reportId);
        assertThat(receipt.path("questionnaire").asText())
                .isEqualTo("https://openepro.dev/fhir/Questionnaire/" + questionnaire);
        assertThat(receipt.path("version").asInt()).isEqualTo(1);
        if (scoreId != null) {
            JsonNode wanted = null;
            for (JsonNode candidate : receipt.path("scores")) {
                if (candidate.path("id").asText().equals(scoreId)) {
                    wanted = candidate;
                }
            }
            assertThat(wanted).as("score " + scoreId).isNotNull();
            assertThat(wanted.path("value").asInt()).isEqualTo(Integer.parseInt(score));
            if (band != null) {
                assertThat(wanted.path("band").asText()).isEqualTo(band);
            }
        }

        if (questionnaire.startsWith("eq-5d-5l|")) {
            // the published EQ-5D-5L profile: the five dimensions' levels in order
            assertThat(receipt.path("scores").findValuesAsText("profile")).containsExactly("11232");
        }

        var stored = reports(stack, patient);
        assertThat(stored).hasSize(1);
        var item = stored.get(0);
        assertThat(item.get("reportId").s()).isEqualTo(reportId);
        assertThat(item.get("siteId").s()).isEqualTo(patient.siteId());
        assertThat(item.get("answers").l()).isNotEmpty();
        assertThat(item.get("receivedAt").s())
                .isEqualTo(receipt.path("receivedAt").asText());
        assertThat(java.time.Instant.parse(receipt.path("receivedAt").asText()))
                .isBetween(java.time.Instant.now().minusSeconds(60), java.time.Instant.now());
        assertThat(item.get("authored").s()).matches(".*[+-]\\d{2}:\\d{2}$|.*Z$");
        assertThat(item.get("scores").l()).hasSize(receipt.path("scores").size());
        // pseudonymous ids only: the token's subject (the identity provider's opaque user id) says who submitted
        assertThat(item.get("submittedBy").s()).isEqualTo(tokenSubject);
        assertThat(item.get("subjectId").s()).isEqualTo(patient.subjectId());

        var audit = auditEvents(stack, patient.studyId());
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.get("action").s()).isEqualTo("REPORT_CREATED");
            assertThat(e.get("entityId").s()).isEqualTo(reportId);
            assertThat(e.get("actor").s()).isEqualTo(tokenSubject);
            assertThat(e.get("at").s()).isEqualTo(receipt.path("receivedAt").asText());
        });

        for (String queue : List.of("IndexQueue", "AlertQueue")) {
            assertThat(drain(stack, queue))
                    .singleElement()
                    .satisfies(m -> assertThat(
                                    TestRequests.json(m.body()).path("reportId").asText())
                            .isEqualTo(reportId));
        }
    }

    static Stream<Arguments> anotherSubject() {
        return Stream.of(
                Arguments.of(
                        "by reference",
                        (Consumer<ObjectNode>)
                                b -> b.putObject("subject").put("reference", "Patient/SUBJ-SOMEONE-ELSE"),
                        true),
                Arguments.of(
                        "by identifier",
                        (Consumer<ObjectNode>) b ->
                                b.putObject("subject").putObject("identifier").put("value", "SUBJ-SOMEONE-ELSE"),
                        true),
                Arguments.of(
                        "by a bare id",
                        (Consumer<ObjectNode>) b -> b.putObject("subject").put("reference", "SUBJ-SOMEONE-ELSE"),
                        true),
                Arguments.of(
                        "without an idempotency key",
                        (Consumer<ObjectNode>)
                                b -> b.putObject("subject").put("reference", "Patient/SUBJ-SOMEONE-ELSE"),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anotherSubject")
    void neverLetsTheBodyNameAnotherSubject(String how, Consumer<ObjectNode> nameSomeoneElse, boolean withKey) {
        Participant patient = TestRequests.newPatient();
        var event = TestRequests.sample("submit-invalid-other-subject.json", patient);
        var body = TestRequests.body(event);
        nameSomeoneElse.accept(body);
        event.setBody(body.toString());
        if (!withKey) {
            TestRequests.header(event, "idempotency-key", null);
        }

        var response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(response.getBody()).doesNotContain("SUBJ-SOMEONE-ELSE");
        assertThat(reports(stack, patient)).isEmpty();
        assertThat(auditEvents(stack, patient.studyId())).isEmpty();
        assertThat(drain(stack, "IndexQueue")).isEmpty();
        assertThat(drain(stack, "AlertQueue")).isEmpty();
    }

    @Test
    void returnsTheOriginalResultForAnIdempotentRepeat() {
        Participant patient = TestRequests.newPatient();
        var event = TestRequests.sample("submit-phq9.json", patient);

        var first = handler.handleRequest(event, null);
        var second = handler.handleRequest(event, null);

        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(second.getStatusCode()).isEqualTo(201);
        assertThat(second.getBody()).isEqualTo(first.getBody());
        assertThat(second.getHeaders()).containsEntry("idempotent-replayed", "true");
        assertThat(reports(stack, patient)).hasSize(1);
        assertThat(auditEvents(stack, patient.studyId())).hasSize(1);
        assertThat(drain(stack, "IndexQueue")).hasSize(1);
        assertThat(drain(stack, "AlertQueue")).hasSize(1);
    }

    @Test
    void aRetryTheAppSerialisedAgainIsStillTheSameSubmission() throws Exception {
        // GIVEN a stored submission
        Participant patient = TestRequests.newPatient();
        var event = TestRequests.sample("submit-gad7.json", patient);
        var first = handler.handleRequest(event, null);

        // WHEN the app retries with the same key, the JSON pretty-printed, its keys in another order
        // and its display texts changed: the same answers
        var body = TestRequests.body(event);
        body.withArray("item")
                .forEach(item -> ((ObjectNode) item.withArray("answer").get(0).get("valueCoding"))
                        .put("display", "as the app's locale words it"));
        java.util.TreeMap<String, Object> reordered = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        reordered.putAll(Json.mapper().convertValue(body, Map.class));
        event.setBody(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(reordered));
        var retry = handler.handleRequest(event, null);

        // THEN the original result, and one report
        assertThat(retry.getStatusCode()).as(retry.getBody()).isEqualTo(201);
        assertThat(retry.getBody()).isEqualTo(first.getBody());
        assertThat(retry.getHeaders()).containsEntry("idempotent-replayed", "true");
        assertThat(reports(stack, patient)).hasSize(1);
    }

    @Test
    void acceptsTheIdentifierValueAsIdempotencyKeyScopedToTheSubject() {
        Participant patient = TestRequests.newPatient();
        Participant other = Participant.of(
                StudyId.of(patient.studyId()), SiteId.of(patient.siteId()), SubjectId.of(patient.subjectId() + "-B"));
        var event = TestRequests.header(TestRequests.sample("submit-gad7.json", patient), "idempotency-key", null);
        var body = TestRequests.body(event);
        body.putObject("identifier").put("system", "urn:app").put("value", "device-42:entry-7");
        event.setBody(body.toString());

        var first = handler.handleRequest(event, null);
        var repeat = handler.handleRequest(event, null);
        var sameKeyOtherSubject = handler.handleRequest(TestRequests.as(event, other), null);

        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(TestRequests.json(repeat).path("reportId"))
                .isEqualTo(TestRequests.json(first).path("reportId"));
        assertThat(sameKeyOtherSubject.getStatusCode()).isEqualTo(201);
        assertThat(TestRequests.json(sameKeyOtherSubject).path("reportId"))
                .isNotEqualTo(TestRequests.json(first).path("reportId"));
        assertThat(reports(stack, patient)).hasSize(1);
        assertThat(reports(stack, other)).hasSize(1);
    }

    @Test
    void rejectsTheSameKeyWithDifferentContent() {
        Participant patient = TestRequests.newPatient();
        var event = TestRequests.sample("submit-pain-nrs.json", patient);
        var first = handler.handleRequest(event, null);
        var changed = TestRequests.body(event);
        changed.withArray("item").get(0).withArray("answer").get(0);
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        changed.withArray("item").get(0).withArray("answer").get(0))
                .put("valueInteger", 9);
        event.setBody(changed.toString());

        var conflicting = handler.handleRequest(event, null);

        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(conflicting.getStatusCode()).isEqualTo(409);
        assertThat(TestRequests.json(conflicting).path("type").asText()).endsWith("/idempotency-conflict");
        var stored = reports(stack, patient);
        assertThat(stored)
                .singleElement()
                .satisfies(r ->
                        assertThat(r.get("answers").l().get(0).m().get("n").n()).isEqualTo("4"));
        assertThat(drain(stack, "IndexQueue")).hasSize(1);
    }

    @Test
    void storesAnAmendmentAsANewVersionAndNeverOverwrites() {
        Participant patient = TestRequests.newPatient();
        var original = handler.handleRequest(TestRequests.sample("submit-pain-nrs.json", patient), null);
        String reportId = TestRequests.json(original).path("reportId").asText();
        drain(stack, "IndexQueue");
        drain(stack, "AlertQueue");

        var amendment = TestRequests.sample("submit-pain-nrs.json", patient);
        var body = TestRequests.body(amendment);
        body.put("status", "amended").put("id", reportId);
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        body.withArray("item").get(0).withArray("answer").get(0))
                .put("valueInteger", 6);
        amendment.setBody(body.toString());
        TestRequests.header(amendment, "x-amendment-reason", "Patient tapped the wrong number");

        var amended = handler.handleRequest(amendment, null);

        assertThat(amended.getStatusCode()).as(amended.getBody()).isEqualTo(201);
        JsonNode receipt = TestRequests.json(amended);
        assertThat(receipt.path("reportId").asText()).isEqualTo(reportId);
        assertThat(receipt.path("version").asInt()).isEqualTo(2);
        var versions = reports(stack, patient);
        assertThat(versions).hasSize(2);
        var v1 = versions.stream()
                .filter(v -> v.get("version").n().equals("1"))
                .findFirst()
                .orElseThrow();
        var v2 = versions.stream()
                .filter(v -> v.get("version").n().equals("2"))
                .findFirst()
                .orElseThrow();
        assertThat(v1.get("answers").l().get(0).m().get("n").n()).isEqualTo("4");
        assertThat(v1.get("status").s()).isEqualTo("completed");
        assertThat(v2.get("answers").l().get(0).m().get("n").n()).isEqualTo("6");
        assertThat(v2.get("amendmentReason").s()).isEqualTo("Patient tapped the wrong number");
        assertThat(v2.get("firstReceivedAt").s()).isEqualTo(v1.get("receivedAt").s());
        assertThat(auditEvents(stack, patient.studyId()))
                .extracting(e -> e.get("action").s())
                .containsExactlyInAnyOrder("REPORT_CREATED", "REPORT_AMENDED");
        assertThat(auditEvents(stack, patient.studyId()))
                .filteredOn(e -> e.get("action").s().equals("REPORT_AMENDED"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.get("reason").s()).isEqualTo("Patient tapped the wrong number");
                    assertThat(e.get("actor").s())
                            .isEqualTo(amendment
                                    .getRequestContext()
                                    .getAuthorizer()
                                    .getJwt()
                                    .getClaims()
                                    .get("sub"));
                    assertThat(e.get("at").s()).isEqualTo(v2.get("receivedAt").s());
                });
        assertThat(drain(stack, "IndexQueue"))
                .singleElement()
                .satisfies(m -> assertThat(
                                TestRequests.json(m.body()).path("version").asInt())
                        .isEqualTo(2));
    }

    @Test
    void refusesAnAmendmentWithoutAReasonOrOfSomeoneElsesReport() {
        Participant patient = TestRequests.newPatient();
        Participant other = TestRequests.newPatient();
        String theirs = TestRequests.json(
                        handler.handleRequest(TestRequests.sample("submit-pain-nrs.json", other), null))
                .path("reportId")
                .asText();
        String mine = TestRequests.json(
                        handler.handleRequest(TestRequests.sample("submit-pain-nrs.json", patient), null))
                .path("reportId")
                .asText();

        var noReason = TestRequests.sample("submit-pain-nrs.json", patient);
        noReason.setBody(TestRequests.body(noReason)
                .put("status", "amended")
                .put("id", mine)
                .toString());
        var notMine =
                TestRequests.header(TestRequests.sample("submit-pain-nrs.json", patient), "x-amendment-reason", "typo");
        notMine.setBody(TestRequests.body(notMine)
                .put("status", "amended")
                .put("id", theirs)
                .toString());

        var r1 = handler.handleRequest(noReason, null);
        var r2 = handler.handleRequest(notMine, null);

        assertThat(r1.getStatusCode()).isEqualTo(422);
        assertThat(TestRequests.errorCodes(r1)).contains("reason-required");
        assertThat(r2.getStatusCode()).isEqualTo(422);
        assertThat(TestRequests.errorCodes(r2)).contains("unknown-report");
        assertThat(reports(stack, patient)).hasSize(1);
        assertThat(reports(stack, other)).hasSize(1);
    }

    @Test
    void letsThePatientReadTheirOwnReportOnly() {
        Participant patient = TestRequests.newPatient();
        String reportId = TestRequests.json(
                        handler.handleRequest(TestRequests.sample("submit-gad7.json", patient), null))
                .path("reportId")
                .asText();

        var own = handler.handleRequest(
                TestRequests.route(
                        TestRequests.sample("submit-gad7.json", patient),
                        "GET",
                        "/v1/reports/" + reportId,
                        "GET /v1/reports/{reportId}",
                        Map.of("reportId", reportId)),
                null);
        var foreign = handler.handleRequest(
                TestRequests.route(
                        TestRequests.sample("submit-gad7.json", TestRequests.newPatient()),
                        "GET",
                        "/v1/reports/" + reportId,
                        "GET /v1/reports/{reportId}",
                        Map.of("reportId", reportId)),
                null);

        assertThat(own.getStatusCode()).isEqualTo(200);
        assertThat(TestRequests.json(own).path("reportId").asText()).isEqualTo(reportId);
        assertThat(foreign.getStatusCode()).isEqualTo(404);
    }

    @Test
    void servesTheQuestionnairesItValidatesAgainst() {
        var patient = TestRequests.newPatient();
        var list = handler.handleRequest(
                TestRequests.route(
                        TestRequests.sample("submit-phq9.json", patient),
                        "GET",
                        "/v1/questionnaires",
                        "GET /v1/questionnaires",
                        null),
                null);
        var one = handler.handleRequest(
                TestRequests.route(
                        TestRequests.sample("submit-phq9.json", patient),
                        "GET",
                        "/v1/questionnaires/phq-9",
                        "GET /v1/questionnaires/{questionnaireId}",
                        Map.of("questionnaireId", "phq-9")),
                null);
        var unknown = handler.handleRequest(
                TestRequests.route(
                        TestRequests.sample("submit-phq9.json", patient),
                        "GET",
                        "/v1/questionnaires/nope",
                        "GET /v1/questionnaires/{questionnaireId}",
                        Map.of("questionnaireId", "nope")),
                null);

        assertThat(list.getStatusCode()).isEqualTo(200);
        assertThat(list.getHeaders()).containsEntry("content-type", "application/fhir+json");
        JsonNode bundle = TestRequests.json(list);
        assertThat(bundle.path("resourceType").asText()).isEqualTo("Bundle");
        assertThat(bundle.path("entry").findValuesAsText("id"))
                .contains("phq-9", "gad-7", "pain-nrs", "pro-ctcae", "eq-5d-5l");
        JsonNode phq9 = TestRequests.json(one);
        assertThat(phq9.path("version").asText()).isEqualTo("1.1.0");
        assertThat(phq9.path("item")).hasSize(10);
        assertThat(phq9.path("item").get(8).path("code").get(0).path("code").asText())
                .isEqualTo("44260-8");
        assertThat(unknown.getStatusCode()).isEqualTo(404);
    }

    @Test
    void buildsClientsReadersAndTheRegistryOncePerContainer() {
        // GIVEN a container: the handler is constructed once, as Lambda does
        Participant patient = TestRequests.newPatient();
        var warm = new SubmitReportHandler(SubmitWiring.builder(
                        SubmitConfig.fromEnv(stack.env("SubmitReportFunction")),
                        new AwsClients(stack.clientsFor("SubmitReportFunction").settings()))
                .build());
        warm.handleRequest(TestRequests.sample("submit-phq9.json", patient), null);
        int clients = AwsClients.clientsBuilt();
        int readers = Json.readersAndWritersBuilt();
        int registries = QuestionnaireRegistry.loads();

        // WHEN it serves more requests
        var second = warm.handleRequest(TestRequests.sample("submit-gad7.json", patient), null);
        warm.handleRequest(TestRequests.sample("submit-pain-nrs.json", patient), null);

        // THEN nothing expensive is built again
        assertThat(second.getStatusCode()).isEqualTo(201);
        assertThat(AwsClients.clientsBuilt()).isEqualTo(clients);
        assertThat(Json.readersAndWritersBuilt()).isEqualTo(readers);
        assertThat(QuestionnaireRegistry.loads()).isEqualTo(registries);
    }

    @Test
    void primingRunsTheHotPathWithoutStoringOrSendingAnything() {
        Participant priming = Participant.of(StudyId.of("PRIMING"), SiteId.of("PRIMING"), SubjectId.of("PRIMING"));
        SubmitWiring.builder(
                        SubmitConfig.fromEnv(stack.env("SubmitReportFunction")),
                        stack.clientsFor("SubmitReportFunction"))
                .build()
                .primeApi();

        assertThat(reports(stack, priming)).isEmpty();
        assertThat(drain(stack, "IndexQueue")).isEmpty();
        assertThat(drain(stack, "AlertQueue")).isEmpty();
        assertThat(stack.clients()
                        .dynamo()
                        .scan(b -> b.tableName(stack.ref("AuditTable"))
                                .filterExpression("studyId = :p")
                                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("PRIMING"))))
                        .items())
                .isEmpty();
    }
}
