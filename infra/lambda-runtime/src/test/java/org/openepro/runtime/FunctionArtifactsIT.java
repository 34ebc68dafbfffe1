package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.runtime.LocalRuntimeIT.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.projection.ProjectionKeys;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportStore;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.SampleEvents;
import org.openepro.runtime.lambda.FunctionPool;
import org.openepro.runtime.lambda.InvokeResult;
import org.openepro.runtime.lambda.ManagedJavaRuntime;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What is deployed must run: every function of template.yaml, started as Lambda starts it (its
 * {@code sam build} artifact's {@code lib/*.jar} only, the pinned runtime client, the template's
 * environment against the emulator's stack, the no-arg constructor in the init phase), handed a
 * real-shape event from {@code events/} (or, for a queue, the real message the previous function
 * sent), and checked for the answer a user expects and the effect stored. A class missing from an
 * artifact, a gap in the runtime client's serialization or a failing init fails here, naming the
 * function and showing its console. {@code make test} runs {@code sam build} before this test.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FunctionArtifactsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<String>> CONSOLE = new ConcurrentHashMap<>();
    private static final Set<String> EXERCISED = ConcurrentHashMap.newKeySet();

    private static EmulatedStack stack;
    private static Path artifacts;
    private static Map<String, FunctionPool> functions;
    private static String study;
    private static LocalDate day;
    private static Map<String, EmulatedStack.RoleCalls> callsBefore;

    @BeforeAll
    static void startEveryFunctionFromItsArtifact(EmulatedStack deployed) {
        stack = deployed;
        artifacts = RuntimeOptions.defaults(LocalSigningKey.generate()).artifacts();
        assertThat(artifacts.resolve("template.yaml"))
                .as(
                        "the sam build output at %s: run `make sam-build` (make test " + "runs it before this test)",
                        artifacts)
                .isRegularFile();
        functions = LocalRuntime.functionPools(
                stack,
                artifacts,
                ManagedJavaRuntime.locate(),
                (fn, line) -> {
                    CONSOLE.computeIfAbsent(fn, k -> new CopyOnWriteArrayList<>())
                            .add(line);
                    System.out.println(fn + "  " + line);
                },
                new Console(System.out, java.time.Clock.systemUTC()));
        study = "ART-" + UUID.randomUUID().toString().substring(0, 8);
        callsBefore = stack.roleCalls();
    }

    @AfterAll
    static void stopEveryInstance() {
        if (functions != null) {
            functions.values().forEach(FunctionPool::close);
        }
    }

    @Test
    @Order(1)
    void everyFunctionOfTheBuiltTemplateHasItsArtifactWithTheHandlerJarInLib() throws IOException {
        for (String id : stack.functions().keySet()) {
            Path lib = artifacts.resolve(id).resolve("lib");
            assertThat(lib).as("%s's artifact", id).isDirectory();
            try (var jars = Files.list(lib)) {
                assertThat(jars.filter(p -> p.toString().endsWith(".jar")).count())
                        .as("%s: jars in %s", id, lib)
                        .isPositive();
            }
        }
    }

    @Test
    @Order(2)
    void aValidSubmissionIsStoredProjectedAlertedAndReadThroughTheSubmitIndexAlertAndStaffFunctions() throws Exception {
        // GIVEN the sample submission (pain 4) as a pain of 8 in a study of its own, with a fresh idempotency key
        ObjectNode submission = sample("submit-pain-nrs.json");
        submission
                .withObject("/headers")
                .put("idempotency-key", UUID.randomUUID().toString());
        submission.withObject("/requestContext/authorizer/jwt/claims").put("study_id", study);
        submission.put("body", submission.get("body").asText().replace("{\"valueInteger\":4}", "{\"valueInteger\":8}"));

        // WHEN SubmitReportFunction gets it
        JsonNode response = succeeds("SubmitReportFunction", submission);

        // THEN 201 with the report's id, and the report is stored with the study from the token
        assertThat(response.get("statusCode").asInt()).as(response.toString()).isEqualTo(201);
        String reportId =
                JSON.readTree(response.get("body").asText()).get("reportId").asText();
        Report report = new ReportStore(stack.clients().dynamo(), stack.ref("ReportsTable"))
                .get(reportId, 1)
                .orElseThrow();
        assertThat(report.studyId()).isEqualTo(study);
        day = ProjectionKeys.rowDay(report);

        // WHEN IndexReportFunction gets the batch with the message submit-report sent to the index queue
        JsonNode indexed = succeeds("IndexReportFunction", sqsEvent("IndexQueue", reportId));

        // THEN no record failed, and the report's projection row is stored under its study and day
        assertThat(indexed.path("batchItemFailures")).as(indexed.toString()).isEmpty();
        assertThat(stack.clients()
                        .dynamo()
                        .query(b -> b.tableName(stack.ref("ProjectionsTable"))
                                .keyConditionExpression("pk = :pk")
                                .expressionAttributeValues(
                                        Map.of(":pk", AttributeValue.fromS(ProjectionKeys.studyDayPk(study, day)))))
                        .items())
                .anySatisfy(item -> assertThat(item.get("reportId").s()).isEqualTo(reportId));

        // WHEN AlertFunction gets the batch with the message sent to the alert queue
        JsonNode alerted = succeeds("AlertFunction", sqsEvent("AlertQueue", reportId));

        // THEN no record failed, and the study's alerts, read through AlertApiFunction, hold a HIGH alert for it
        assertThat(alerted.path("batchItemFailures")).as(alerted.toString()).isEmpty();
        ObjectNode list = sample("alert-list.json");
        list.put("rawPath", "/v1/studies/" + study + "/alerts");
        list.withObject("/pathParameters").put("studyId", study);
        list.withObject("/requestContext/http").put("path", "/v1/studies/" + study + "/alerts");
        list.withObject("/requestContext/authorizer/jwt/claims").put("studies", "[" + study + "]");
        JsonNode alerts = succeeds("AlertApiFunction", list);
        assertThat(alerts.get("statusCode").asInt()).as(alerts.toString()).isEqualTo(200);
        assertThat(alerts.get("body").asText()).contains(reportId).contains("HIGH");

        // AND StaffApiFunction, given the sample staff read of a report for this study and report, answers it
        ObjectNode read = sample("staff-report-get.json");
        String path = "/v1/studies/" + study + "/reports/" + reportId;
        read.put("rawPath", path);
        read.withObject("/pathParameters").put("studyId", study).put("reportId", reportId);
        read.withObject("/requestContext/http").put("path", path);
        read.withObject("/requestContext/authorizer/jwt/claims").put("studies", "[" + study + "]");
        JsonNode staffRead = succeeds("StaffApiFunction", read);
        assertThat(staffRead.get("statusCode").asInt()).as(staffRead.toString()).isEqualTo(200);
        assertThat(staffRead.get("body").asText()).contains(reportId);
    }

    @Test
    @Order(3)
    void anExportRequestIsWrittenByTheWorkerAndItsLinkIssuedThroughTheExportFunctions() throws Exception {
        // GIVEN the sample export request for the day the previous test stored a report on
        ObjectNode request = sample("export-request.json");
        request.put("rawPath", "/v1/studies/" + study + "/exports");
        request.withObject("/pathParameters").put("studyId", study);
        request.withObject("/requestContext/authorizer/jwt/claims").put("studies", "[" + study + "]");
        request.put(
                "body", "{\"format\":\"csv\",\"from\":\"" + day + "\",\"to\":\"" + day + "\",\"profile\":\"limited\"}");

        // WHEN ExportApiFunction gets it, THEN 202 with the export's id
        JsonNode accepted = succeeds("ExportApiFunction", request);
        assertThat(accepted.get("statusCode").asInt()).as(accepted.toString()).isEqualTo(202);
        String exportId =
                JSON.readTree(accepted.get("body").asText()).get("exportId").asText();

        // WHEN ExportWorkerFunction gets the batch with the export queue's message, THEN no record failed
        JsonNode worked = succeeds("ExportWorkerFunction", sqsEvent("ExportQueue", exportId));
        assertThat(worked.path("batchItemFailures")).as(worked.toString()).isEmpty();

        // AND the job, read through ExportApiFunction, has succeeded with one row and a download link
        ObjectNode get = sample("export-get.json");
        get.put("rawPath", "/v1/exports/" + exportId);
        get.withObject("/pathParameters").put("exportId", exportId);
        get.withObject("/requestContext/authorizer/jwt/claims").put("studies", "[" + study + "]");
        JsonNode job = succeeds("ExportApiFunction", get);
        assertThat(job.get("statusCode").asInt()).as(job.toString()).isEqualTo(200);
        JsonNode body = JSON.readTree(job.get("body").asText());
        assertThat(body.get("status").asText()).as(body.toString()).isEqualTo("SUCCEEDED");
        assertThat(body.get("rowCount").asInt()).isEqualTo(1);
        assertThat(body.at("/download/url").asText()).contains(exportId).contains("X-Amz-Signature=");

        // AND the worker's artifact writes compliance-csv too: it carries core's compliance reader, and its role
        // may Query the schedule table's counters (this study has no schedule: a file of the header alone)
        request.put("body", "{\"format\":\"compliance-csv\",\"from\":\"" + day + "\",\"to\":\"" + day + "\"}");
        JsonNode counts = succeeds("ExportApiFunction", request);
        assertThat(counts.get("statusCode").asInt()).as(counts.toString()).isEqualTo(202);
        String countsId =
                JSON.readTree(counts.get("body").asText()).get("exportId").asText();
        JsonNode countsWorked = succeeds("ExportWorkerFunction", sqsEvent("ExportQueue", countsId));
        assertThat(countsWorked.path("batchItemFailures"))
                .as(countsWorked.toString())
                .isEmpty();
        get.put("rawPath", "/v1/exports/" + countsId);
        get.withObject("/pathParameters").put("exportId", countsId);
        JsonNode countsJob =
                JSON.readTree(succeeds("ExportApiFunction", get).get("body").asText());
        assertThat(countsJob.get("status").asText()).as(countsJob.toString()).isEqualTo("SUCCEEDED");
        assertThat(countsJob.get("format").asText()).isEqualTo("compliance-csv");
        assertThat(countsJob.get("rowCount").asInt()).isZero();
    }

    @Test
    @Order(4)
    void theScheduleRunsTheOutboxSweeper() throws Exception {
        // WHEN OutboxSweeperFunction gets the schedule's event (the template's schedule has no Input: {})
        InvokeResult result =
                invoke("OutboxSweeperFunction", Files.readAllBytes(SampleEvents.file("schedule-outbox-sweep.json")));

        // THEN it ran to its end
        assertThat(result.status())
                .as(diagnosis("OutboxSweeperFunction", result))
                .isEqualTo(InvokeResult.Status.SUCCEEDED);
    }

    @Test
    @Order(5)
    void theCognitoTriggerAddsTheUsersStudySiteAndSubjectClaims() throws Exception {
        // WHEN TokenClaimsFunction gets Cognito's pre-token-generation (version 2) event
        JsonNode response = succeeds("TokenClaimsFunction", sample("cognito-pre-token-generation.json"));

        // THEN the access token gets the user's OpenEPRO attributes as claims, and nothing else
        JsonNode claims =
                response.at("/response/claimsAndScopeOverrideDetails/accessTokenGeneration/claimsToAddOrOverride");
        assertThat(JSON.convertValue(claims, Map.class))
                .as(response.toString())
                .isEqualTo(Map.of("study_id", "STUDY-001", "site_id", "SITE-01", "subject_id", "SUBJ-0001"));
    }

    @Test
    @Order(6)
    void aProtocolAndAnEnrollmentGiveThePatientTasksAndTheSchedulerRunsItsSlot() throws Exception {
        // GIVEN the sample protocol and enrollment, for this test's study
        ObjectNode protocol = sample("schedule-put-protocol.json");
        forStudy(protocol, "/v1/studies/" + study + "/protocol");
        ObjectNode enrollment = sample("schedule-put-subject.json");
        forStudy(enrollment, "/v1/studies/" + study + "/subjects/SUBJ-0001");
        ObjectNode tasks = sample("schedule-list-tasks.json");
        tasks.withObject("/requestContext/authorizer/jwt/claims").put("study_id", study);

        // WHEN ScheduleApiFunction gets them, THEN the version, the enrollment and the patient's Task bundle
        JsonNode stored = succeeds("ScheduleApiFunction", protocol);
        assertThat(stored.get("statusCode").asInt()).as(stored.toString()).isEqualTo(201);
        JsonNode enrolled = succeeds("ScheduleApiFunction", enrollment);
        assertThat(enrolled.get("statusCode").asInt()).as(enrolled.toString()).isEqualTo(201);
        JsonNode bundle = succeeds("ScheduleApiFunction", tasks);
        assertThat(bundle.get("statusCode").asInt()).as(bundle.toString()).isEqualTo(200);
        assertThat(JSON.readTree(bundle.get("body").asText()).get("total").asInt())
                .isPositive();

        // AND SchedulerFunction, given the schedule's event ({}), runs its slot to the end
        InvokeResult run =
                invoke("SchedulerFunction", Files.readAllBytes(SampleEvents.file("schedule-outbox-sweep.json")));
        assertThat(run.status()).as(diagnosis("SchedulerFunction", run)).isEqualTo(InvokeResult.Status.SUCCEEDED);
        assertThat(JSON.readTree(run.payload()).get("failures").asInt())
                .as(run.payloadText())
                .isZero();
    }

    private void forStudy(ObjectNode event, String path) {
        event.put("rawPath", path);
        event.withObject("/pathParameters").put("studyId", study);
        event.withObject("/requestContext/http").put("path", path);
        event.withObject("/requestContext/authorizer/jwt/claims").put("studies", "[" + study + "]");
    }

    @Test
    @Order(7)
    void aStudyPublishesAQuestionnaireThroughItsFunctionAndItsPatientReadsItInGermanAndAnswersIt() throws Exception {
        // GIVEN the sample publication (a study's own sleep diary with German texts) for this test's study
        ObjectNode publication = sample("publish-questionnaire.json");
        forStudy(publication, "/v1/studies/" + study + "/questionnaires");
        publication.put(
                "body", publication.get("body").asText().replace("/studies/STUDY-001/", "/studies/" + study + "/"));
        String canonical = "https://example.org/studies/" + study + "/Questionnaire/sleep-diary|1.0.0";

        // WHEN QuestionnaireAdminFunction gets it, THEN 201 and it is stored under its canonical
        JsonNode published = succeeds("QuestionnaireAdminFunction", publication);
        assertThat(published.get("statusCode").asInt()).as(published.toString()).isEqualTo(201);
        assertThat(JSON.readTree(published.get("body").asText())
                        .get("questionnaire")
                        .asText())
                .isEqualTo(canonical);

        // WHEN a patient of the study asks SubmitReportFunction for it in German
        ObjectNode read = sample("submit-pain-nrs.json");
        read.put("routeKey", "GET /v1/questionnaires/{questionnaireId}");
        read.put("rawPath", "/v1/questionnaires/sleep-diary");
        read.put("rawQueryString", "lang=de");
        read.putObject("queryStringParameters").put("lang", "de");
        read.putObject("pathParameters").put("questionnaireId", "sleep-diary");
        read.withObject("/requestContext").put("routeKey", "GET /v1/questionnaires/{questionnaireId}");
        read.withObject("/requestContext/http").put("method", "GET").put("path", "/v1/questionnaires/sleep-diary");
        read.withObject("/requestContext/authorizer/jwt/claims").put("study_id", study);
        read.remove("body");
        JsonNode german = succeeds("SubmitReportFunction", read);

        // THEN it is the study's questionnaire in German
        assertThat(german.get("statusCode").asInt()).as(german.toString()).isEqualTo(200);
        JsonNode q = JSON.readTree(german.get("body").asText());
        assertThat(q.get("language").asText()).isEqualTo("de");
        assertThat(q.at("/item/0/text").asText()).isEqualTo("Haben Sie letzte Nacht gut geschlafen?");

        // WHEN the patient answers it in German
        ObjectNode submission = sample("submit-pain-nrs.json");
        submission
                .withObject("/headers")
                .put("idempotency-key", UUID.randomUUID().toString());
        submission.withObject("/requestContext/authorizer/jwt/claims").put("study_id", study);
        submission.put(
                "body",
                "{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":\"" + canonical
                        + "\",\"status\":\"completed\",\"language\":\"de\",\"authored\":\"2026-11-27T07:02:11+01:00\","
                        + "\"item\":[{\"linkId\":\"slept-well\",\"answer\":[{\"valueCoding\":{\"system\":"
                        + "\"https://example.org/fhir/CodeSystem/yes-no\",\"code\":\"no\"}}]},{\"linkId\":\"night\",\"item\":"
                        + "[{\"linkId\":\"awake-times\",\"answer\":[{\"valueInteger\":6}]}]},{\"linkId\":\"rested\","
                        + "\"answer\":[{\"valueCoding\":{\"system\":\"https://example.org/fhir/CodeSystem/rested\","
                        + "\"code\":\"a-little\"}}]}]}");
        JsonNode answered = succeeds("SubmitReportFunction", submission);

        // THEN 201, and the stored report is of the study's questionnaire, in German, scored as it defines
        assertThat(answered.get("statusCode").asInt()).as(answered.toString()).isEqualTo(201);
        String reportId =
                JSON.readTree(answered.get("body").asText()).get("reportId").asText();
        Report report = new ReportStore(stack.clients().dynamo(), stack.ref("ReportsTable"))
                .get(reportId, 1)
                .orElseThrow();
        assertThat(report.questionnaireCanonical()).isEqualTo(canonical);
        assertThat(report.language()).isEqualTo("de");
        assertThat(report.scores())
                .extracting(s -> s.id() + "=" + s.value().intValueExact())
                .containsExactly("rested=1");
    }

    @Test
    @Order(8)
    void everyFunctionOfTheTemplateWasStartedFromItsArtifactAndAnswered() {
        assertThat(new TreeSet<>(EXERCISED))
                .as("functions of template.yaml this test ran")
                .isEqualTo(new TreeSet<>(stack.functions().keySet()));
    }

    @Test
    @Order(8)
    void everyFunctionProcessCalledAwsAsItsOwnRoleAndItsRoleAllowedEveryCall() {
        // GIVEN the emulator checks each function's calls against its role from the template
        assertThat(stack.iamEnforced())
                .as("the emulator checks IAM (infra/aws-emulator/moto_launcher.py)")
                .isTrue();

        // WHEN the calls signed with each function's own credentials are counted, since this test started
        Map<String, EmulatedStack.RoleCalls> after = stack.roleCalls();

        // THEN every function whose event reached AWS called it as its own role (its process got the role's
        // keys from the runtime, not the emulator's admin key), and none of those calls was refused
        Set<String> callers = new TreeSet<>(stack.functions().keySet());
        callers.remove("TokenClaimsFunction"); // reads only its event
        for (String id : callers) {
            EmulatedStack.RoleCalls now = after.get(id);
            int before = callsBefore.containsKey(id) ? callsBefore.get(id).allowed() : 0;
            assertThat(now).as("%s's calls with its own role's credentials", id).isNotNull();
            assertThat(now.allowed())
                    .as("%s's calls its role allowed (%s)", id, now.actions())
                    .isGreaterThan(before);
        }
        after.forEach((id, calls) -> assertThat(calls.denied())
                .as(
                        "%s's calls its role refused (%s): the emulator's "
                                + "log has an 'is not authorized to perform' line for each",
                        id, calls.actions())
                .isZero());
    }

    /** Invokes {@code function} with {@code event} and returns its answer as JSON, or fails naming the function. */
    private static JsonNode succeeds(String function, JsonNode event) throws IOException {
        InvokeResult result = invoke(function, JSON.writeValueAsBytes(event));
        assertThat(result.status()).as(diagnosis(function, result)).isEqualTo(InvokeResult.Status.SUCCEEDED);
        return JSON.readTree(result.payload());
    }

    private static InvokeResult invoke(String function, byte[] event) {
        FunctionPool pool = functions.get(function);
        assertThat(pool).as("%s is not a function of the template", function).isNotNull();
        EXERCISED.add(function);
        return pool.invoke(event);
    }

    /** What the developer needs when a function fails: its name, how it ended, its answer and its log. */
    private static String diagnosis(String function, InvokeResult result) {
        return "%s from its artifact %s ended %s (%s): %s%n%s's console:%n  %s"
                .formatted(
                        function,
                        artifacts.resolve(function),
                        result.status(),
                        result.errorType(),
                        result.payloadText(),
                        function,
                        String.join("\n  ", CONSOLE.getOrDefault(function, List.of())));
    }

    private static ObjectNode sample(String name) throws IOException {
        return (ObjectNode) JSON.readTree(SampleEvents.file(name).toFile());
    }

    /** The SQS event of the message on {@code queue} that mentions {@code id}, as the event source mapping passes it. */
    private static JsonNode sqsEvent(String queue, String id) throws IOException {
        List<Message> found = new ArrayList<>();
        eventually(() -> {
            stack
                    .clients()
                    .sqs()
                    .receiveMessage(b -> b.queueUrl(stack.ref(queue))
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                            .messageAttributeNames("All"))
                    .messages()
                    .stream()
                    .filter(m -> m.body().contains(id))
                    .forEach(found::add);
            assertThat(found).as("a message about %s on %s", id, queue).isNotEmpty();
        });
        return JSON.readTree(LambdaEvents.sqs(
                List.of(found.getFirst()), stack.resource(queue).arn(), stack.region()));
    }
}
