package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.openepro.core.json.Json;
import org.openepro.core.report.Report;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.sqs.model.Message;

/** Drives the real export handlers against the emulated stack, as API Gateway and the SQS poller would. */
final class ExportHarness {
    static final String STAFF = "staff-7f3a";
    /** The API's domain as API Gateway names it in every event. */
    static final String API_DOMAIN = "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com";

    final EmulatedStack stack;
    final ExportApiHandler api;
    final ExportWorkerHandler worker;
    /** The bucket the handlers write to and link to. */
    final String bucket;

    private final HttpClient http = HttpClient.newHttpClient();
    int invocations;

    ExportHarness(EmulatedStack stack, Map<String, String> workerEnvOverrides) {
        this(stack, workerEnvOverrides, Map.of());
    }

    /** @param sharedEnvOverrides overrides of both functions' environment (another bucket, say) */
    ExportHarness(EmulatedStack stack, Map<String, String> workerEnvOverrides, Map<String, String> sharedEnvOverrides) {
        this.stack = stack;
        Map<String, String> apiEnv = new HashMap<>(stack.env("ExportApiFunction"));
        apiEnv.putAll(sharedEnvOverrides);
        // each function with its own role's clients, as deployed; a bucket outside the template is beyond
        // both roles (as it would be on AWS), so a test that writes to one runs the handlers as the admin
        boolean ownBucket = !sharedEnvOverrides.containsKey("EXPORT_BUCKET");
        this.api = new ExportApiHandler(ExportApiWiring.of(
                ExportApiConfig.fromEnv(apiEnv),
                ownBucket ? stack.clientsFor("ExportApiFunction") : stack.clients(),
                TestReports.registryWithDiary()));
        Map<String, String> env = new HashMap<>(stack.env("ExportWorkerFunction"));
        env.putAll(sharedEnvOverrides);
        env.putAll(workerEnvOverrides);
        this.bucket = env.get("EXPORT_BUCKET");
        this.worker = new ExportWorkerHandler(ExportWorkerWiring.of(
                ExportWorkerConfig.fromEnv(env),
                ownBucket ? stack.clientsFor("ExportWorkerFunction") : stack.clients(),
                TestReports.registryWithDiary()));
    }

    /** Writes the reports' projection rows (the report row and the subject timeline row) as index-report would. */
    void seed(List<Report> reports) {
        List<WriteRequest> batch = new ArrayList<>();
        for (Report r : reports) {
            for (Map<String, AttributeValue> item :
                    List.of(TestReports.projectionItem(r), TestReports.timelineItem(r))) {
                batch.add(WriteRequest.builder()
                        .putRequest(PutRequest.builder().item(item).build())
                        .build());
                if (batch.size() == 25) {
                    flush(batch);
                }
            }
        }
        flush(batch);
    }

    /** Writes every version of reports to the reports table, as submit-report stores them. */
    void seedVersions(List<Report> versions) {
        List<WriteRequest> batch = new ArrayList<>();
        for (Report r : versions) {
            batch.add(WriteRequest.builder()
                    .putRequest(PutRequest.builder()
                            .item(org.openepro.core.report.ReportItems.toItem(r))
                            .build())
                    .build());
        }
        flush(batch, "ReportsTable");
    }

    private void flush(List<WriteRequest> batch) {
        flush(batch, "ProjectionsTable");
    }

    private void flush(List<WriteRequest> batch, String table) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, List<WriteRequest>> pending = Map.of(stack.ref(table), List.copyOf(batch));
        while (!pending.isEmpty()) {
            Map<String, List<WriteRequest>> p = pending;
            var response = stack.clients().dynamo().batchWriteItem(b -> b.requestItems(p));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
        }
        batch.clear();
    }

    APIGatewayV2HTTPResponse post(String studyId, String body, String studies, String roles) {
        return post(studyId, body, studies, roles, List.of("epro/export"));
    }

    /** A POST from a token with these scopes. */
    APIGatewayV2HTTPResponse post(String studyId, String body, String studies, String roles, List<String> scopes) {
        APIGatewayV2HTTPEvent e = event(
                "POST /v1/studies/{studyId}/exports",
                "/v1/studies/" + studyId + "/exports",
                Map.of("studyId", studyId),
                studies,
                roles,
                scopes);
        e.setBody(body);
        return api.handleRequest(e, EmulatedLambdaContext.withRemaining("ExportApiFunction", 300_000));
    }

    APIGatewayV2HTTPResponse get(String exportId, String studies, String roles) {
        return get(exportId, studies, roles, List.of("epro/export"));
    }

    APIGatewayV2HTTPResponse get(String exportId, String studies, String roles, List<String> scopes) {
        return api.handleRequest(
                event(
                        "GET /v1/exports/{exportId}",
                        "/v1/exports/" + exportId,
                        Map.of("exportId", exportId),
                        studies,
                        roles,
                        scopes),
                EmulatedLambdaContext.withRemaining("ExportApiFunction", 300_000));
    }

    JsonNode status(String exportId, String studies, String roles) throws IOException {
        return status(exportId, studies, roles, List.of("epro/export"));
    }

    JsonNode status(String exportId, String studies, String roles, List<String> scopes) throws IOException {
        APIGatewayV2HTTPResponse r = get(exportId, studies, roles, scopes);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return Json.mapper().readTree(r.getBody());
    }

    /** Requests an export and returns its id, asserting the 202. */
    String request(String studyId, String body, String roles) throws IOException {
        APIGatewayV2HTTPResponse r = post(studyId, body, studyId, roles);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(202);
        String id = Json.mapper().readTree(r.getBody()).path("exportId").asText();
        assertThat(r.getHeaders()).containsEntry("location", "/v1/exports/" + id);
        return id;
    }

    private static APIGatewayV2HTTPEvent event(
            String routeKey,
            String path,
            Map<String, String> params,
            String studies,
            String roles,
            List<String> scopes) {
        Map<String, String> claims = new HashMap<>();
        claims.put("sub", STAFF);
        claims.put("studies", "[" + studies + "]");
        if (roles != null) {
            claims.put("roles", "[" + roles + "]");
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                .builder()
                .withClaims(claims)
                .withScopes(scopes)
                .build();
        APIGatewayV2HTTPEvent.RequestContext ctx = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRequestId("req-" + System.nanoTime())
                .withDomainName(API_DOMAIN)
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(routeKey.substring(0, routeKey.indexOf(' ')))
                        .withPath(path)
                        .build())
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(jwt)
                        .build())
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withPathParameters(params)
                .withHeaders(
                        Map.of("content-type", "application/json", "host", API_DOMAIN, "x-forwarded-proto", "https"))
                .withRequestContext(ctx)
                .build();
    }

    /**
     * Runs the worker on the messages the export queue really holds, one at a time (batch size 1),
     * deleting what it handled, until the queue is empty. Each invocation gets a fresh context.
     */
    void drain(Supplier<Context> contexts) {
        drain(contexts, false);
    }

    /** @param duplicate put a copy of every message back on the queue before handling it (at-least-once delivery) */
    void drain(Supplier<Context> contexts, boolean duplicate) {
        for (int rounds = 0; rounds < 200; rounds++) {
            if (!handleOne(contexts, duplicate)) {
                return;
            }
        }
        throw new AssertionError("the export queue never emptied");
    }

    /** Runs the worker on the next message the export queue holds, if any; false when it held none. */
    boolean handleOne(Supplier<Context> contexts, boolean duplicate) {
        String queue = stack.ref("ExportQueue");
        List<Message> messages = stack.clients()
                .sqs()
                .receiveMessage(b -> b.queueUrl(queue)
                        .maxNumberOfMessages(1)
                        .waitTimeSeconds(1)
                        .visibilityTimeout(60))
                .messages();
        if (messages.isEmpty()) {
            return false;
        }
        Message m = messages.get(0);
        if (duplicate && !m.body().contains("\"copy\"")) {
            String copy = m.body().replace("}", ",\"copy\":true}");
            stack.clients().sqs().sendMessage(b -> b.queueUrl(queue).messageBody(copy));
        }
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId(m.messageId());
        record.setReceiptHandle(m.receiptHandle());
        record.setBody(m.body());
        record.setEventSource("aws:sqs");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(record));
        invocations++;
        SQSBatchResponse response = worker.handleRequest(event, contexts.get());
        assertThat(response.getBatchItemFailures()).isEmpty();
        stack.clients().sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
        return true;
    }

    void drain() {
        drain(() -> EmulatedLambdaContext.withRemaining("ExportWorkerFunction", 300_000));
    }

    /** Downloads through the presigned link with a plain HTTP client, as a browser would. */
    HttpResponse<byte[]> download(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }

    /** Every item of the exports table that belongs to this study (jobs and pseudonyms). */
    List<Map<String, AttributeValue>> exportItems(String studyId) {
        return stack.clients().dynamo().scan(b -> b.tableName(stack.ref("ExportsTable"))).items().stream()
                .filter(i -> (i.containsKey("studyId") && i.get("studyId").s().equals(studyId))
                        || i.get("pk").s().equals("P#" + studyId))
                .toList();
    }

    /** Audit actions recorded for the study. */
    List<String> auditActions(String studyId) {
        return auditEvents(studyId).stream().map(i -> i.get("action").s()).toList();
    }

    /** Audit events recorded for the study, as stored. */
    List<Map<String, AttributeValue>> auditEvents(String studyId) {
        return stack.clients()
                .dynamo()
                .query(b -> b.tableName(stack.ref("AuditTable"))
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("A#" + studyId))))
                .items();
    }

    int queuedMessages() {
        var attrs = stack.clients()
                .sqs()
                .getQueueAttributes(b -> b.queueUrl(stack.ref("ExportQueue"))
                        .attributeNamesWithStrings(
                                "ApproximateNumberOfMessages",
                                "ApproximateNumberOfMessagesNotVisible",
                                "ApproximateNumberOfMessagesDelayed"))
                .attributesAsStrings();
        return attrs.values().stream().mapToInt(Integer::parseInt).sum();
    }

    Set<String> objectKeys(String exportId) {
        return stack
                .clients()
                .s3()
                .listObjectsV2(b -> b.bucket(bucket).prefix(ExportObjects.PREFIX + exportId + "/"))
                .contents()
                .stream()
                .map(o -> o.key())
                .collect(Collectors.toSet());
    }

    /** Asserts every object the export has in the bucket now is encrypted as the code asks (SSE-S3); returns their keys. */
    Set<String> assertEveryObjectEncrypted(String exportId) {
        return assertEveryObjectEncrypted(exportId, null);
    }

    /** As above, with SSE-KMS under {@code kmsKeyArn} expected when it is not null. */
    Set<String> assertEveryObjectEncrypted(String exportId, String kmsKeyArn) {
        Set<String> keys = objectKeys(exportId);
        for (String key : keys) {
            var head = stack.clients().s3().headObject(b -> b.bucket(bucket).key(key));
            assertThat(head.serverSideEncryption())
                    .as("encryption of %s", key)
                    .isEqualTo(kmsKeyArn == null ? ServerSideEncryption.AES256 : ServerSideEncryption.AWS_KMS);
            assertThat(head.ssekmsKeyId()).as("KMS key of %s", key).isEqualTo(kmsKeyArn);
        }
        return keys;
    }
}
