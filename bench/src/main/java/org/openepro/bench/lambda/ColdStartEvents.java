package org.openepro.bench.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.SampleEvents;
import org.openepro.runtime.LambdaEvents;
import org.openepro.runtime.lambda.FunctionPool;
import org.openepro.runtime.lambda.InvokeResult;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The real-shape events of one cold-start run, one per function of the template: the samples of
 * {@code events/} made fresh for each run (a new idempotency key and subject, the benchmark's study),
 * and for a queue function the real message the previous function sent, taken off its queue. Two
 * warm feeders (submit-report and the export API, started from their artifacts too) make a fresh
 * report and a fresh export job for every run, so no first invocation finds its work already done.
 */
final class ColdStartEvents implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EmulatedStack stack;
    private final FunctionPool submitFeeder;
    private final FunctionPool exportFeeder;
    private final String study = "BENCH-" + UUID.randomUUID().toString().substring(0, 8);
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    private final List<Runnable> cleanups = new ArrayList<>();
    private final AtomicInteger publications = new AtomicInteger();

    ColdStartEvents(EmulatedStack stack, FunctionPool submitFeeder, FunctionPool exportFeeder) {
        this.stack = stack;
        this.submitFeeder = submitFeeder;
        this.exportFeeder = exportFeeder;
    }

    /** The event a first invocation of {@code functionId} gets in this run. */
    byte[] forFunction(String functionId) {
        try {
            return switch (functionId) {
                case "SubmitReportFunction" -> submission();
                case "IndexReportFunction" -> sqs("IndexQueue", freshReport());
                case "AlertFunction" -> sqs("AlertQueue", freshReport());
                case "AlertApiFunction" -> alertList();
                case "StaffApiFunction" -> staffSubjects();
                case "ExportApiFunction" -> exportRequest();
                case "ExportWorkerFunction" -> sqs("ExportQueue", freshExport());
                case "OutboxSweeperFunction", "SchedulerFunction" ->
                    Files.readAllBytes(SampleEvents.file("schedule-outbox-sweep.json"));
                case "ScheduleApiFunction" -> patientTasks();
                case "TokenClaimsFunction" ->
                    Files.readAllBytes(SampleEvents.file("cognito-pre-token-generation.json"));
                case "QuestionnaireAdminFunction" -> publication();
                default -> throw new IllegalArgumentException("no cold-start event for " + functionId);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails unless {@code result} is the answer a user of {@code functionId} expects for its event. */
    static void requireExpectedAnswer(String label, String functionId, InvokeResult result, String console) {
        String problem = null;
        if (!result.succeeded()) {
            problem = "ended " + result.status() + " (" + result.errorType() + ")";
        } else {
            JsonNode answer;
            try {
                answer = JSON.readTree(result.payload());
            } catch (IOException e) {
                answer = null;
            }
            int expected = switch (functionId) {
                case "SubmitReportFunction" -> 201;
                case "ExportApiFunction" -> 202;
                case "QuestionnaireAdminFunction" -> 201;
                case "AlertApiFunction", "StaffApiFunction", "ScheduleApiFunction" -> 200;
                default -> 0;
            };
            if (answer == null) {
                problem = "answered no JSON";
            } else if (expected != 0 && answer.path("statusCode").asInt() != expected) {
                problem = "answered " + answer.path("statusCode").asInt() + ", not " + expected;
            } else if (answer.has("batchItemFailures")
                    && !answer.get("batchItemFailures").isEmpty()) {
                problem = "reported batch item failures";
            } else if (answer.path("failures").asInt() != 0) {
                problem = "reported failures"; // the scheduler's slot
            }
        }
        if (problem != null) {
            throw new IllegalStateException(
                    "%s (%s) %s: %s%n%s".formatted(label, functionId, problem, result.payloadText(), console));
        }
    }

    /** A PHQ-9 submission of a new subject of the benchmark's study, with a new idempotency key. */
    private byte[] submission() throws IOException {
        ObjectNode event = sample("submit-phq9.json");
        String subject = "SUBJ-" + UUID.randomUUID().toString().substring(0, 8);
        event.withObject("/headers").put("idempotency-key", UUID.randomUUID().toString());
        ObjectNode claims = event.withObject("/requestContext/authorizer/jwt/claims");
        claims.put("study_id", study);
        claims.put("subject_id", subject);
        event.put("body", event.get("body").asText().replace("Patient/SUBJ-0001", "Patient/" + subject));
        return JSON.writeValueAsBytes(event);
    }

    /**
     * The sample publication (a study's own sleep diary) for a study of its own: a version is published
     * once, so each run publishes into a new study of the benchmark's.
     */
    private byte[] publication() throws IOException {
        String own = study + "-Q" + publications.incrementAndGet();
        ObjectNode event = sample("publish-questionnaire.json");
        String path = "/v1/studies/" + own + "/questionnaires";
        event.put("rawPath", path);
        event.withObject("/pathParameters").put("studyId", own);
        event.withObject("/requestContext/http").put("path", path);
        event.withObject("/requestContext/authorizer/jwt/claims").put("studies", "[" + own + "]");
        event.put("body", event.get("body").asText().replace("/studies/STUDY-001/", "/studies/" + own + "/"));
        return JSON.writeValueAsBytes(event);
    }

    private byte[] alertList() throws IOException {
        ObjectNode event = sample("alert-list.json");
        event.put("rawPath", "/v1/studies/" + study + "/alerts");
        event.withObject("/pathParameters").put("studyId", study);
        event.withObject("/requestContext/http").put("path", "/v1/studies/" + study + "/alerts");
        event.withObject("/requestContext/authorizer/jwt/claims").put("studies", "[" + study + "]");
        return JSON.writeValueAsBytes(event);
    }

    /** A patient of the benchmark's study asking for their tasks (the bundle is empty: nobody is enrolled). */
    private byte[] patientTasks() throws IOException {
        ObjectNode event = sample("schedule-list-tasks.json");
        event.withObject("/requestContext/authorizer/jwt/claims").put("study_id", study);
        return JSON.writeValueAsBytes(event);
    }

    /** The study's subjects at the sample's site, as a research nurse's console lists them. */
    private byte[] staffSubjects() throws IOException {
        ObjectNode event = sample("staff-subjects.json");
        event.put("rawPath", "/v1/studies/" + study + "/subjects");
        event.withObject("/pathParameters").put("studyId", study);
        event.withObject("/requestContext/http").put("path", "/v1/studies/" + study + "/subjects");
        event.withObject("/requestContext/authorizer/jwt/claims").put("studies", "[" + study + "]");
        return JSON.writeValueAsBytes(event);
    }

    private byte[] exportRequest() throws IOException {
        ObjectNode event = sample("export-request.json");
        event.put("rawPath", "/v1/studies/" + study + "/exports");
        event.withObject("/pathParameters").put("studyId", study);
        event.withObject("/requestContext/http").put("path", "/v1/studies/" + study + "/exports");
        event.withObject("/requestContext/authorizer/jwt/claims").put("studies", "[" + study + "]");
        event.put(
                "body",
                "{\"format\":\"csv\",\"from\":\"" + today + "\",\"to\":\"" + today + "\",\"profile\":\"limited\"}");
        return JSON.writeValueAsBytes(event);
    }

    /** A new report stored by the warm submit-report feeder: its id, which its queue messages carry. */
    private String freshReport() throws IOException {
        return idFrom(submitFeeder, submission(), "reportId");
    }

    /** A new export job requested through the warm export API feeder: its id. */
    private String freshExport() throws IOException {
        return idFrom(exportFeeder, exportRequest(), "exportId");
    }

    private static String idFrom(FunctionPool feeder, byte[] event, String field) throws IOException {
        InvokeResult result = feeder.invoke(event);
        if (!result.succeeded()) {
            throw new IllegalStateException(
                    "feeder " + feeder.id() + " ended " + result.status() + ": " + result.payloadText());
        }
        JsonNode answer = JSON.readTree(result.payload());
        return JSON.readTree(answer.get("body").asText()).get(field).asText();
    }

    /**
     * The SQS event with the message on {@code queue} that carries {@code id}, as the event source
     * mapping hands it over. Messages about other work (the cold runs' own submissions) are deleted on
     * the way, and the one handed over is deleted after the run, so the queues stay small.
     */
    private byte[] sqs(String queue, String id) {
        String url = stack.ref(queue);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Message> batch = stack.clients()
                    .sqs()
                    .receiveMessage(b -> b.queueUrl(url)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                            .messageAttributeNames("All"))
                    .messages();
            Message found = null;
            for (Message m : batch) {
                if (found == null && m.body().contains(id)) {
                    found = m;
                } else {
                    stack.clients().sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                }
            }
            if (found != null) {
                String handle = found.receiptHandle();
                cleanups.add(() ->
                        stack.clients().sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(handle)));
                return LambdaEvents.sqs(List.of(found), stack.resource(queue).arn(), stack.region());
            }
        }
        throw new IllegalStateException("no message about " + id + " on " + queue + " within 60 s");
    }

    /** Deletes the messages handed over since the last call. */
    void afterRun() {
        cleanups.forEach(Runnable::run);
        cleanups.clear();
    }

    private static ObjectNode sample(String name) throws IOException {
        return (ObjectNode) JSON.readTree(SampleEvents.file(name).toFile());
    }

    @Override
    public void close() {
        afterRun();
    }
}
