package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.runtime.LocalRuntimeIT.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import org.openepro.core.projection.ProjectionKeys;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.SampleResponses;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportStore;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The whole system through the local runtime, over HTTP with real tokens, the real handlers and
 * the stack created from template.yaml: submit, stored, projected, alerted, exported, downloaded.
 */
@ExtendWith(AwsEmulatorExtension.class)
class LocalRuntimeEndToEndIT {
    private static final QuestionnaireRegistry REGISTRY = QuestionnaireRegistry.load();
    private static final String PHQ9_ITEM_9 = "44260-8";

    private static EmulatedStack stack;
    private static LocalRuntime runtime;
    private static LocalApiClient api;

    @BeforeAll
    static void startRuntime(EmulatedStack deployed) throws IOException {
        stack = deployed;
        runtime = LocalRuntime.start(
                stack,
                RuntimeOptions.defaults(LocalSigningKey.generate()).withPort(0).withPollWaitSeconds(1));
        api = new LocalApiClient(runtime.baseUri());
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void wiresEveryRouteQueueAndScheduleOfTheTemplate() {
        // the contract's routes and event sources; the template may add more, which are wired the same way
        assertThat(runtime.wiring().routes())
                .extracting(r -> r.routeKey() + " " + r.functionId() + " " + r.scopes())
                .contains(
                        "POST /v1/reports SubmitReportFunction [epro/report.write]",
                        "GET /v1/questionnaires SubmitReportFunction [epro/report.write, epro/export, epro/alerts]",
                        "GET /v1/questionnaires/{questionnaireId} SubmitReportFunction [epro/report.write, epro/export, epro/alerts]",
                        "GET /v1/alerts/{alertId} AlertApiFunction [epro/alerts]",
                        "POST /v1/alerts/{alertId}/ack AlertApiFunction [epro/alerts]",
                        "GET /v1/studies/{studyId}/alerts AlertApiFunction [epro/alerts]",
                        "POST /v1/studies/{studyId}/exports ExportApiFunction [epro/export]",
                        "GET /v1/exports/{exportId} ExportApiFunction [epro/export]");
        assertThat(runtime.wiring().queues())
                .extracting(q -> q.queueId() + " " + q.functionId() + " " + q.batchSize() + " "
                        + q.batchingWindowSeconds() + " " + q.reportsBatchItemFailures())
                .contains(
                        "IndexQueue IndexReportFunction 10 1 true",
                        "AlertQueue AlertFunction 10 0 true",
                        "ExportQueue ExportWorkerFunction 1 0 true");
        assertThat(runtime.wiring().queues()).allSatisfy(q -> {
            assertThat(q.queueUrl()).isEqualTo(stack.ref(q.queueId()));
            assertThat(q.queueArn()).isEqualTo(stack.resource(q.queueId()).arn());
        });
        assertThat(runtime.wiring().schedules())
                .extracting(s -> s.functionId() + " " + s.expression())
                .contains("OutboxSweeperFunction rate(1 minute)");
        assertThat(runtime.wiring().unsupported()).isEmpty();
        // each handler gets the template's environment, resolved against this stack
        assertThat(runtime.function("SubmitReportFunction").spec().environment())
                .containsEntry("REPORTS_TABLE", stack.ref("ReportsTable"))
                .containsEntry("INDEX_QUEUE_URL", stack.ref("IndexQueue"))
                .containsEntry("STAGE", "dev")
                .containsEntry("AWS_ENDPOINT_URL", stack.endpoint().toString());
        assertThat(runtime.function("ExportWorkerFunction").timeout()).hasSeconds(300);
        assertThat(runtime.function("ExportWorkerFunction").spec().memoryMb()).isEqualTo(1536);
    }

    @Test
    void refusesBadTokensOnEveryRouteBeforeAnyHandlerRuns() throws IOException {
        // GIVEN a study nobody has written to, and a valid submission body
        String study = "E2E-" + UUID.randomUUID().toString().substring(0, 8);
        String body = phq9(Map.of());
        LocalTokens tokens = runtime.tokens();
        LocalTokens otherKey = new LocalTokens(LocalSigningKey.generate(), Clock.systemUTC());
        Map<String, Object> expired = patientClaims(tokens, study);
        expired.put("exp", System.currentTimeMillis() / 1000 - 1);
        Map<String, Object> otherAudience = patientClaims(tokens, study);
        otherAudience.put("aud", "another-app");

        // WHEN it is sent without a token, with a forged, an expired and a foreign-audience token
        for (String token : new String[] {
            null, otherKey.sign(patientClaims(otherKey, study)), tokens.sign(expired), tokens.sign(otherAudience)
        }) {
            LocalApiClient.Response r = api.post(
                    "/v1/reports",
                    token,
                    "application/fhir+json",
                    body,
                    "Idempotency-Key",
                    UUID.randomUUID().toString());
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
        }
        // AND with a staff token, which lacks the report scope; and a patient token on every staff route
        assertThat(api.post(
                                "/v1/reports",
                                tokens.staff(List.of(study), List.of()),
                                "application/fhir+json",
                                body,
                                "Idempotency-Key",
                                UUID.randomUUID().toString())
                        .status())
                .isEqualTo(403);
        String patient = tokens.patient(study, "SITE-01", "SUBJ-1");
        assertThat(api.post("/v1/studies/" + study + "/exports", patient, "application/json", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(api.get("/v1/exports/" + UUID.randomUUID(), patient).status())
                .isEqualTo(403);
        assertThat(api.get("/v1/studies/" + study + "/alerts", patient).status())
                .isEqualTo(403);
        assertThat(api.post("/v1/alerts/" + UUID.randomUUID() + "/ack", patient, "application/json", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(api.get("/v1/alerts/" + UUID.randomUUID(), patient).status()).isEqualTo(403);

        // THEN nothing was stored for the study and nothing was queued
        assertThat(stack.clients()
                        .dynamo()
                        .scan(b -> b.tableName(stack.ref("ReportsTable"))
                                .filterExpression("studyId = :s")
                                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(study))))
                        .items())
                .isEmpty();
        assertThat(stack.clients()
                        .dynamo()
                        .scan(b -> b.tableName(stack.ref("ExportsTable")))
                        .items())
                .noneMatch(item -> item.toString().contains(study));
        assertThat(stack.clients()
                        .sqs()
                        .receiveMessage(b -> b.queueUrl(stack.ref("IndexQueue")).waitTimeSeconds(0))
                        .messages())
                .noneMatch(m -> m.body().contains(study));
    }

    @Test
    void aSubmittedReportIsStoredProjectedAlertedAndExportedBehindALinkThatDownloads() throws Exception {
        // GIVEN a participant of a fresh study, and a staff member assigned to it
        String study = "E2E-" + UUID.randomUUID().toString().substring(0, 8);
        String patient = runtime.tokens().patient(study, "SITE-01", "SUBJ-E2E-1");
        String staff = runtime.tokens().staff(List.of(study), List.of());

        // WHEN the participant submits a PHQ-9 with item 9 above "Not at all"
        LocalApiClient.Response submitted = api.post(
                "/v1/reports",
                patient,
                "application/fhir+json",
                phq9(Map.of(PHQ9_ITEM_9, BigDecimal.ONE)),
                "Idempotency-Key",
                UUID.randomUUID().toString());

        // THEN it is accepted and stored with the identity from the token
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
        String reportId = submitted.json().path("reportId").asText();
        assertThat(submitted.header("location"))
                .hasValueSatisfying(l -> assertThat(l).contains(reportId));
        Report report = new ReportStore(stack.clients().dynamo(), stack.ref("ReportsTable"))
                .get(reportId, 1)
                .orElseThrow();
        assertThat(report.studyId()).isEqualTo(study);
        assertThat(report.siteId()).isEqualTo("SITE-01");
        assertThat(report.subjectId()).isEqualTo("SUBJ-E2E-1");
        assertThat(report.questionnaireCanonical()).isEqualTo(phq9Definition().canonical());
        assertThat(report.answers()).hasSize(phq9Definition().answerableItems().size());

        // AND index-report projects it under its study and day
        LocalDate day = ProjectionKeys.rowDay(report);
        eventually(() -> assertThat(stack.clients()
                        .dynamo()
                        .query(b -> b.tableName(stack.ref("ProjectionsTable"))
                                .keyConditionExpression("pk = :pk")
                                .expressionAttributeValues(
                                        Map.of(":pk", AttributeValue.fromS(ProjectionKeys.studyDayPk(study, day)))))
                        .items())
                .anySatisfy(item -> assertThat(item.get("reportId").s()).isEqualTo(reportId)));

        // AND the alert function publishes an URGENT alert to the nurses' topic, printed by the runtime
        eventually(() -> assertThat(runtime.alerts()).anySatisfy(a -> {
            assertThat(a.studyId()).isEqualTo(study);
            assertThat(a.siteId()).isEqualTo("SITE-01");
            assertThat(a.severity()).isEqualTo("URGENT");
        }));
        // AND the staff link the alert message carries opens that alert through the HTTP API
        AlertListener.ReceivedAlert urgent = runtime.alerts().stream()
                .filter(a -> a.studyId().equals(study) && a.severity().equals("URGENT"))
                .findFirst()
                .orElseThrow();
        assertThat(urgent.attributes()).containsEntry("alertId", urgent.alertId());
        String alertLink = Json.mapper().readTree(urgent.message()).path("link").asText();
        assertThat(alertLink).isEqualTo("/v1/alerts/" + urgent.alertId());
        LocalApiClient.Response opened = api.get(alertLink, staff);
        assertThat(opened.status()).as(opened.body()).isEqualTo(200);
        assertThat(opened.json().path("alertId").asText()).isEqualTo(urgent.alertId());
        assertThat(opened.json().path("status").asText()).isEqualTo("OPEN");

        // WHEN staff ask for a csv export of that day
        String request = "{\"format\":\"csv\",\"from\":\"" + day + "\",\"to\":\"" + day + "\",\"profile\":\"limited\"}";
        LocalApiClient.Response created =
                api.post("/v1/studies/" + study + "/exports", staff, "application/json", request);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String exportId = created.json().path("exportId").asText();

        // THEN it succeeds and its presigned link downloads the report
        JsonNode[] job = new JsonNode[1];
        eventually(() -> {
            LocalApiClient.Response r = getQuietly("/v1/exports/" + exportId, staff);
            assertThat(r.status()).isEqualTo(200);
            job[0] = r.json();
            assertThat(job[0].path("status").asText()).isIn("SUCCEEDED", "FAILED");
        });
        assertThat(job[0].path("status").asText()).isEqualTo("SUCCEEDED");
        String link = Demo.presignedLink(job[0]).orElseThrow();
        Matcher expires = Pattern.compile("X-Amz-Expires=(\\d+)").matcher(link);
        assertThat(expires.find()).isTrue();
        assertThat(Integer.parseInt(expires.group(1))).isBetween(1, 900);
        String csv = new String(api.download(URI.create(link)), StandardCharsets.UTF_8);
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains(PHQ9_ITEM_9);
        // the limited profile keeps the report and its dates but shows the subject only by a pseudonym
        assertThat(lines.get(1)).contains(reportId).doesNotContain("SUBJ-E2E-1");
    }

    @Test
    void theDemoRunsADayOfASmallStudyAgainstTheRuntime() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Demo demo = new Demo(
                api,
                runtime.tokens(),
                REGISTRY,
                new PrintStream(printed, true, StandardCharsets.UTF_8),
                Clock.systemUTC());

        int status = demo.run();

        assertThat(status).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Presigned link");
        eventually(() -> assertThat(runtime.alerts())
                .filteredOn(a -> a.studyId().equals(Demo.STUDY))
                .extracting(AlertListener.ReceivedAlert::severity)
                .contains("URGENT", "HIGH"));
    }

    private static LocalApiClient.Response getQuietly(String path, String token) {
        try {
            return api.get(path, token);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> patientClaims(LocalTokens tokens, String study) {
        Map<String, Object> claims = tokens.standardClaims("epro/report.write");
        claims.put("study_id", study);
        claims.put("site_id", "SITE-01");
        claims.put("subject_id", "SUBJ-1");
        return claims;
    }

    private static QuestionnaireDefinition phq9Definition() {
        return REGISTRY.latest("phq-9").orElseThrow();
    }

    private static String phq9(Map<String, BigDecimal> chosen) {
        OffsetDateTime authored =
                OffsetDateTime.now(ZoneOffset.ofHours(2)).minusMinutes(5).truncatedTo(ChronoUnit.SECONDS);
        return SampleResponses.of(phq9Definition(), authored)
                .scores(chosen)
                .unremarkable(new Random(7))
                .json()
                .toString();
    }
}
