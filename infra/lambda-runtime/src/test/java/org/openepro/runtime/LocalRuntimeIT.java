package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openepro.core.aws.AwsClients;
import org.openepro.emulator.AwsEmulator;
import org.openepro.emulator.EmulatedStack;
import org.openepro.runtime.lambda.TestArtifacts;
import org.openepro.runtime.testing.EchoHttpHandler;
import org.openepro.runtime.testing.FlakySqsHandler;
import org.openepro.runtime.testing.SlowHttpHandler;
import org.openepro.runtime.testing.TickHandler;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue.Builder;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The local runtime against the emulator, wired from a stack of test-only handlers and resources,
 * each function an instance process started from a test artifact through the Lambda runtime
 * client: routing and the payload 2.0 event over real HTTP, authorizer refusals before any function
 * runs, API Gateway's answers to a function error, a timeout and a failed init, SQS partial batch
 * failures with redelivery and the DLQ, schedules, alerts. What a function saw, it prints as a
 * {@code WITNESS} log line: the test reads it on the console, where a developer would.
 */
class LocalRuntimeIT {
    private static final String REGION = "eu-west-1";
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ByteArrayOutputStream CONSOLE = new ByteArrayOutputStream();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static EmulatedStack stack;
    private static LocalRuntime runtime;
    private static LocalTokens tokens;
    private static String workQueueUrl;
    private static String workQueueArn;
    private static String deadLetterQueueUrl;

    @BeforeAll
    static void startRuntime() throws IOException {
        // GIVEN queues (1 s visibility, DLQ after 3 receives) and a topic in the emulator, and test handlers wired to
        // them
        AwsEmulator emulator = AwsEmulator.shared();
        AwsClients aws = AwsClients.fromEnv(Map.of(
                "AWS_REGION", REGION, "AWS_ENDPOINT_URL", emulator.endpoint().toString()));
        String prefix = "rt-" + UUID.randomUUID().toString().substring(0, 8);
        deadLetterQueueUrl =
                aws.sqs().createQueue(b -> b.queueName(prefix + "-dlq")).queueUrl();
        String dlqArn = queueArn(aws, deadLetterQueueUrl);
        workQueueUrl = aws.sqs()
                .createQueue(b -> b.queueName(prefix + "-work")
                        .attributes(Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                "1",
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}")))
                .queueUrl();
        workQueueArn = queueArn(aws, workQueueUrl);
        String topicArn = aws.sns().createTopic(b -> b.name(prefix + "-alerts")).topicArn();

        Map<String, EmulatedStack.Resource> resources = Map.of(
                "WorkQueue",
                        new EmulatedStack.Resource("AWS::SQS::Queue", workQueueUrl, workQueueArn, prefix + "-work"),
                "WorkDeadLetterQueue",
                        new EmulatedStack.Resource("AWS::SQS::Queue", deadLetterQueueUrl, dlqArn, prefix + "-dlq"),
                "NurseAlertsTopic", new EmulatedStack.Resource("AWS::SNS::Topic", topicArn, null, prefix + "-alerts"));
        Map<String, EmulatedStack.Function> functions = Map.of(
                "EchoFunction",
                        function(
                                EchoHttpHandler.class.getName(),
                                http("ReadItem", "GET", "/items/{itemId}", "test/read"),
                                http("WriteItem", "POST", "/items", "test/write")),
                "BrokenFunction",
                        function("org.openepro.runtime.testing.ThrowingHttpHandler", http("Broken", "GET", "/broken")),
                "MissingFunction", function("org.openepro.nowhere.MissingHandler", http("Missing", "GET", "/missing")),
                "BrokenInitFunction",
                        function(
                                "org.openepro.runtime.testing.FailingInitHandler",
                                http("BrokenInit", "GET", "/broken-init")),
                "SlowFunction", function(SlowHttpHandler.class.getName(), 1, http("Slow", "GET", "/slow")),
                // one instance (ReservedConcurrentExecutions 1): the queue's 1 s visibility timeout is shorter than a
                // cold start, so a second poller would receive a message again while the first waits for its instance
                "WorkerFunction",
                        new EmulatedStack.Function(
                                FlakySqsHandler.class.getName() + "::handleRequest",
                                10,
                                1024,
                                Map.of(),
                                List.of(new EmulatedStack.Event(
                                        "Work",
                                        "SQS",
                                        null,
                                        null,
                                        null,
                                        "WorkQueue",
                                        2,
                                        0,
                                        List.of("ReportBatchItemFailures"),
                                        null)),
                                ".",
                                1,
                                "Text",
                                null),
                "TickFunction",
                        function(
                                TickHandler.class.getName(),
                                new EmulatedStack.Event(
                                        "Tick",
                                        "Schedule",
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        "rate(1 minute)")));
        stack = new EmulatedStack(prefix, REGION, emulator.endpoint(), resources, functions, aws);

        Path artifacts = TestArtifacts.build(
                Files.createTempDirectory("local-runtime-it"),
                functions.keySet().toArray(String[]::new));
        LocalSigningKey key = LocalSigningKey.generate();
        RuntimeOptions options = RuntimeOptions.defaults(key)
                .withPort(0)
                .withArtifacts(artifacts)
                .withPollWaitSeconds(1)
                .withScheduleSpeedup(60)
                .withOut(new PrintStream(new Tee(CONSOLE, System.out), true, StandardCharsets.UTF_8));
        runtime = LocalRuntime.start(stack, options);
        tokens = runtime.tokens();
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void routesARequestToItsHandlerAsAPayloadFormat2Event() throws Exception {
        // WHEN a client calls a route with repeated headers and query parameters, cookies and a token
        String token = token("test/read", Map.of("studies", List.of("S1", "S2")));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri("/items/42%20x?x=1&x=2&y=a%20b"))
                        .header("Authorization", "Bearer " + token)
                        .header("X-Multi", "a")
                        .header("X-Multi", "b")
                        .header("Cookie", "c1=v1; c2=v2")
                        .header("User-Agent", "local-runtime-it")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // THEN the handler's response comes back as API Gateway sends it
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
        assertThat(response.headers().firstValue("x-echo")).contains("yes");
        assertThat(response.headers().allValues("set-cookie"))
                .containsExactlyInAnyOrder("session=abc; Path=/; HttpOnly", "theme=dark");

        // AND the function got the 2.0 event, with the claims in requestContext.authorizer.jwt
        JsonNode seen = echoOf(response.headers().firstValue("apigw-requestid").orElseThrow());
        APIGatewayV2HTTPEvent event = event(seen);
        assertThat(event.getVersion()).isEqualTo("2.0");
        assertThat(event.getRouteKey()).isEqualTo("GET /items/{itemId}");
        assertThat(event.getRawPath()).isEqualTo("/items/42%20x");
        assertThat(event.getRawQueryString()).isEqualTo("x=1&x=2&y=a%20b");
        assertThat(event.getQueryStringParameters()).isEqualTo(Map.of("x", "1,2", "y", "a b"));
        assertThat(event.getPathParameters()).isEqualTo(Map.of("itemId", "42 x"));
        assertThat(event.getHeaders())
                .containsEntry("x-multi", "a,b")
                .containsEntry("user-agent", "local-runtime-it")
                .containsEntry("authorization", "Bearer " + token)
                .doesNotContainKey("cookie");
        assertThat(event.getCookies()).containsExactly("c1=v1", "c2=v2");
        assertThat(event.getBody()).isNull();
        var ctx = event.getRequestContext();
        assertThat(ctx.getRequestId())
                .isEqualTo(response.headers().firstValue("apigw-requestid").orElseThrow());
        assertThat(ctx.getStage()).isEqualTo("$default");
        assertThat(ctx.getRouteKey()).isEqualTo("GET /items/{itemId}");
        assertThat(ctx.getTime()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(ctx.getHttp().getMethod()).isEqualTo("GET");
        assertThat(ctx.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(ctx.getHttp().getUserAgent()).isEqualTo("local-runtime-it");
        assertThat(ctx.getAuthorizer().getJwt().getClaims())
                .containsEntry("studies", "[S1 S2]")
                .containsEntry("iss", LocalTokens.ISSUER);
        assertThat(ctx.getAuthorizer().getJwt().getScopes()).containsExactly("test/read");

        // AND the context is the function's, with its Timeout counting down
        assertThat(seen.get("functionName").asText()).isEqualTo("EchoFunction");
        assertThat(seen.get("memoryMb").asInt()).isEqualTo(1024);
        assertThat(seen.get("remainingMillis").asInt()).isBetween(1, 10_000);
    }

    @Test
    void passesBinaryBodiesBase64EncodedBothWays() throws Exception {
        byte[] upload = {(byte) 0xca, (byte) 0xfe, 0, 1};
        HttpResponse<byte[]> response = HTTP.send(
                HttpRequest.newBuilder(uri("/items?binary=1"))
                        .header("Authorization", "Bearer " + token("test/write", Map.of()))
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(upload))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(EchoHttpHandler.BINARY);
        APIGatewayV2HTTPEvent event =
                event(echoOf(response.headers().firstValue("apigw-requestid").orElseThrow()));
        assertThat(event.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(event.getBody())).isEqualTo(upload);
    }

    @Test
    void refusesBadTokensAndMissingScopesBeforeAnyHandlerRuns() throws Exception {
        // GIVEN how many requests the function has seen
        int before = witnesses("EchoFunction", "echo").size();
        LocalTokens otherKey = new LocalTokens(LocalSigningKey.generate(), java.time.Clock.systemUTC());
        Map<String, Object> expired = tokens.standardClaims("test/read");
        expired.put("exp", System.currentTimeMillis() / 1000 - 60);
        Map<String, Object> otherAudience = tokens.standardClaims("test/read");
        otherAudience.put("aud", "another-app");
        Map<String, Object> otherIssuer = tokens.standardClaims("test/read");
        otherIssuer.put("iss", "https://issuer.example");
        Map<String, Object> notYet = tokens.standardClaims("test/read");
        notYet.put("nbf", System.currentTimeMillis() / 1000 + 3600);

        // WHEN requests come without a token, with bad ones, and without the route's scope
        assertRefused(null, 401, "Unauthorized");
        assertRefused("not-a-jwt", 401, "Unauthorized");
        assertRefused(otherKey.sign(otherKey.standardClaims("test/read")), 401, "Unauthorized");
        assertRefused(tokens.sign(expired), 401, "Unauthorized");
        assertRefused(tokens.sign(otherAudience), 401, "Unauthorized");
        assertRefused(tokens.sign(otherIssuer), 401, "Unauthorized");
        assertRefused(tokens.sign(notYet), 401, "Unauthorized");
        assertRefused(token("test/write", Map.of()), 403, "Forbidden");

        // THEN the function never ran
        assertThat(witnesses("EchoFunction", "echo")).hasSize(before);
    }

    @Test
    void answersAnUnknownRouteWithApiGatewaysNotFound() throws Exception {
        String token = token("test/read", Map.of());
        for (HttpRequest request : List.of(
                HttpRequest.newBuilder(uri("/nowhere"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpRequest.newBuilder(uri("/items/1"))
                        .header("Authorization", "Bearer " + token)
                        .DELETE()
                        .build(),
                HttpRequest.newBuilder(uri("/items/1/")).GET().build())) {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("{\"message\":\"Not Found\"}");
            assertThat(r.headers().firstValue("content-type")).contains("application/json");
        }
    }

    @Test
    void aFunctionThatThrowsOrWhoseHandlerClassIsMissingIsAnInternalServerError() throws Exception {
        // a missing class is the runtime client's error at every invoke (Class not found), not an init failure
        for (String path : List.of("/broken", "/missing")) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(uri(path))
                            .header("Authorization", "Bearer " + token("test/read", Map.of()))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        }
        eventually(() -> assertThat(CONSOLE.toString(StandardCharsets.UTF_8))
                .contains("BrokenFunction (request ")
                .contains("failed: java.lang.IllegalStateException")
                .contains("MissingFunction (request ")
                .contains("failed: java.lang.ClassNotFoundException"));
    }

    @Test
    void aFunctionWhoseInitFailsIsABadGatewayAndTheConsoleShowsWhy() throws Exception {
        // WHEN a route's function cannot finish its init (its constructor throws)
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("/broken-init"))
                        .header("Authorization", "Bearer " + token("test/read", Map.of()))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // THEN API Gateway's answer when the integration gives none, and the console names the function and the error
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        eventually(() -> assertThat(CONSOLE.toString(StandardCharsets.UTF_8))
                .contains("BrokenInitFunction  INIT_REPORT Init Duration:")
                .contains("TABLE_THAT_IS_NOT_SET is not set")
                .contains("at org.openepro.runtime.testing.FailingInitHandler.<init>"));
    }

    @Test
    void aFunctionThatRunsPastItsTimeoutIsStoppedAndTheClientGetsAnInternalServerError() throws Exception {
        // WHEN a route's function (Timeout 1 s) is still running when its time is up
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("/slow"))
                        .header("Authorization", "Bearer " + token("test/read", Map.of()))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // THEN the client gets API Gateway's answer to a Lambda error, not the late result
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        // AND Lambda stopped the instance: the console says so, and no instance of it runs
        assertThat(CONSOLE.toString(StandardCharsets.UTF_8))
                .contains("SlowFunction ran")
                .contains("over its Timeout of 1 s: Lambda stopped it")
                .contains("Task timed out after");
        assertThat(runtime.function("SlowFunction").instances()).isZero();
    }

    @Test
    void deletesOnlyTheRecordsThatSucceededAndRedeliversTheFailedOnes() {
        // GIVEN five messages; the handler fails each odd one on its first delivery
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> bodies = List.of(
                "odd-" + run + "-1",
                "even-" + run + "-2",
                "odd-" + run + "-3",
                "even-" + run + "-4",
                "odd-" + run + "-5");
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id("e" + i)
                    .messageBody(bodies.get(i))
                    .messageAttributes(Map.of(
                            "studyId",
                            MessageAttributeValue.builder()
                                    .dataType("String")
                                    .stringValue("S1")
                                    .build()))
                    .build());
        }
        List<String> sentIds =
                stack
                        .clients()
                        .sqs()
                        .sendMessageBatch(b -> b.queueUrl(workQueueUrl).entries(entries))
                        .successful()
                        .stream()
                        .map(s -> s.messageId())
                        .toList();

        // WHEN the runtime polls the queue, THEN every message is eventually processed successfully
        eventually(() -> assertThat(bodies)
                .allSatisfy(body -> assertThat(deliveries(run))
                        .anySatisfy(d -> assertThat(d.get("body").asText().equals(body)
                                        && !d.get("failed").asBoolean())
                                .isTrue())));

        // AND the successful ones were delivered once, the failed ones came back exactly once more
        List<JsonNode> seen = deliveries(run);
        for (String body : bodies) {
            List<JsonNode> ofBody = seen.stream()
                    .filter(d -> d.get("body").asText().equals(body))
                    .toList();
            if (body.startsWith("odd-")) {
                assertThat(ofBody)
                        .extracting(d -> d.get("receiveCount").asInt() + " "
                                + d.get("failed").asBoolean())
                        .containsExactly("1 true", "2 false");
            } else {
                assertThat(ofBody)
                        .extracting(d -> d.get("receiveCount").asInt())
                        .containsExactly(1);
            }
        }
        // AND batches respect the template's BatchSize, and records are Lambda's SQS records
        assertThat(seen).allSatisfy(d -> {
            assertThat(d.get("batchSize").asInt()).isBetween(1, 2);
            assertThat(d.get("eventSource").asText()).isEqualTo("aws:sqs");
            assertThat(d.get("eventSourceArn").asText()).isEqualTo(workQueueArn);
            assertThat(d.get("messageId").asText()).isIn(sentIds);
            assertThat(d.get("attributes"))
                    .extracting(JsonNode::asText)
                    .contains("SentTimestamp", "ApproximateFirstReceiveTimestamp");
            assertThat(d.get("studyId").asText()).isEqualTo("S1");
        });
        // AND nothing is left on the queue
        eventually(() -> assertThat(queueDepth(workQueueUrl)).isZero());
    }

    @Test
    void aHandlerExceptionDeletesNothingSoTheBatchComesBack() {
        String body = "throw-" + UUID.randomUUID();
        stack.clients().sqs().sendMessage(b -> b.queueUrl(workQueueUrl).messageBody(body));

        eventually(() -> assertThat(deliveries(body))
                .extracting(d -> d.get("receiveCount").asInt())
                .containsExactly(1, 2));
        eventually(() -> assertThat(queueDepth(workQueueUrl)).isZero());
    }

    @Test
    void aMessageThatKeepsFailingEndsInTheDeadLetterQueue() {
        String body = "poison-" + UUID.randomUUID();
        stack.clients().sqs().sendMessage(b -> b.queueUrl(workQueueUrl).messageBody(body));

        List<Message> dead = new ArrayList<>();
        eventually(() -> {
            dead.addAll(stack.clients()
                    .sqs()
                    .receiveMessage(b -> b.queueUrl(deadLetterQueueUrl)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1))
                    .messages());
            assertThat(dead).extracting(Message::body).contains(body);
        });
        // three receives (the redrive policy's maxReceiveCount), each reported as failed
        eventually(() -> assertThat(deliveries(body))
                .extracting(d -> d.get("receiveCount").asInt())
                .containsExactly(1, 2, 3));
    }

    @Test
    void firesScheduledFunctionsWithAnEmptyEvent() {
        // rate(1 minute) at 60x: about once a second
        eventually(() -> assertThat(witnesses("TickFunction", "tick")).hasSizeGreaterThanOrEqualTo(2));

        assertThat(witnesses("TickFunction", "tick")).allSatisfy(t -> {
            assertThat(t.get("event").isObject()).isTrue();
            assertThat(t.get("event").isEmpty()).isTrue();
            assertThat(t.get("functionName").asText()).isEqualTo("TickFunction");
            assertThat(t.get("remainingMillis").asInt()).isBetween(1, 10_000);
        });
    }

    @Test
    void printsEachAlertPublishedToTheNurseAlertsTopic() {
        String alertId = UUID.randomUUID().toString();
        stack.clients()
                .sns()
                .publish(b -> b.topicArn(stack.ref("NurseAlertsTopic"))
                        .message("{\"alertId\":\"" + alertId + "\",\"ruleId\":\"pain-nrs-severe\"}")
                        .messageAttributes(
                                Map.of("severity", attr("HIGH"), "studyId", attr("S1"), "siteId", attr("SITE-02"))));

        eventually(() -> assertThat(runtime.alerts())
                .extracting(AlertListener.ReceivedAlert::alertId)
                .contains(alertId));
        assertThat(CONSOLE.toString(StandardCharsets.UTF_8))
                .contains("ALERT  HIGH    study=S1 site=SITE-02 rule=pain-nrs-severe alert=" + alertId);
    }

    @Test
    void closingStopsTheHttpApi() throws Exception {
        // GIVEN a second runtime with only the HTTP function and no alert topic
        EmulatedStack httpOnly = new EmulatedStack(
                stack.stackName() + "-b",
                REGION,
                stack.endpoint(),
                Map.of(),
                Map.of("EchoFunction", stack.function("EchoFunction")),
                stack.clients());
        Path artifacts = TestArtifacts.build(Files.createTempDirectory("local-runtime-it"), "EchoFunction");
        LocalRuntime second = LocalRuntime.start(
                httpOnly,
                RuntimeOptions.defaults(LocalSigningKey.generate())
                        .withPort(0)
                        .withPollWaitSeconds(1)
                        .withArtifacts(artifacts)
                        .withPrewarm(true)
                        .withOut(new PrintStream(OutputStream.nullOutputStream())));
        URI base = second.baseUri();
        assertThat(HTTP.send(
                                HttpRequest.newBuilder(base.resolve("/nowhere")).build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(404);
        assertThat(second.function("EchoFunction").instances()).isEqualTo(1);

        // WHEN it is closed
        second.close();

        // THEN nothing answers on its port any more, and its function instance is gone
        assertThatThrownBy(() -> HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(base.resolve("/nowhere")).build(),
                                HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(ConnectException.class);
        assertThat(second.function("EchoFunction").instances()).isZero();
    }

    private static void assertRefused(String token, int status, String message) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/items/1")).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.body()).isEqualTo("{\"message\":\"" + message + "\"}");
        assertThat(r.headers().firstValue("www-authenticate")).isPresent();
    }

    private static String token(String scope, Map<String, Object> extra) {
        Map<String, Object> claims = tokens.standardClaims(scope);
        claims.putAll(extra);
        return tokens.sign(claims);
    }

    private static URI uri(String path) {
        return runtime.baseUri().resolve(path);
    }

    /** Every WITNESS line of {@code kind} that {@code function} printed, in order. */
    private static List<JsonNode> witnesses(String function, String kind) {
        String marker = "  " + function + "  WITNESS " + kind + " ";
        List<JsonNode> seen = new ArrayList<>();
        for (String line : CONSOLE.toString(StandardCharsets.UTF_8).split("\n")) {
            int at = line.indexOf(marker);
            if (at >= 0) {
                try {
                    seen.add(JSON.readTree(line.substring(at + marker.length())));
                } catch (IOException e) {
                    throw new AssertionError("not a witness line: " + line, e);
                }
            }
        }
        return seen;
    }

    /** What EchoFunction saw of the request API Gateway gave {@code apiRequestId}. */
    private static JsonNode echoOf(String apiRequestId) {
        JsonNode[] found = new JsonNode[1];
        eventually(() -> {
            found[0] = witnesses("EchoFunction", "echo").stream()
                    .filter(w -> apiRequestId.equals(
                            w.at("/event/requestContext/requestId").asText()))
                    .findFirst()
                    .orElse(null);
            assertThat(found[0])
                    .as("EchoFunction's witness of request %s", apiRequestId)
                    .isNotNull();
        });
        return found[0];
    }

    private static APIGatewayV2HTTPEvent event(JsonNode seen) {
        return JSON.convertValue(seen.get("event"), APIGatewayV2HTTPEvent.class);
    }

    /** The deliveries whose body contains {@code text}. */
    private static List<JsonNode> deliveries(String text) {
        return witnesses("WorkerFunction", "delivery").stream()
                .filter(d -> d.get("body").asText().contains(text))
                .toList();
    }

    private static int queueDepth(String url) {
        Map<QueueAttributeName, String> a = stack.clients()
                .sqs()
                .getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static software.amazon.awssdk.services.sns.model.MessageAttributeValue attr(String value) {
        Builder b = software.amazon.awssdk.services.sns.model.MessageAttributeValue.builder();
        return b.dataType("String").stringValue(value).build();
    }

    private static String queueArn(AwsClients aws, String url) {
        return aws.sqs()
                .getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    private static EmulatedStack.Function function(String handlerClass, EmulatedStack.Event... events) {
        return function(handlerClass, 10, events);
    }

    private static EmulatedStack.Function function(
            String handlerClass, int timeoutSeconds, EmulatedStack.Event... events) {
        return new EmulatedStack.Function(
                handlerClass + "::handleRequest", timeoutSeconds, 1024, Map.of(), List.of(events), ".");
    }

    private static EmulatedStack.Event http(String name, String method, String path, String... scopes) {
        return new EmulatedStack.Event(name, "HttpApi", method, path, List.of(scopes), null, null, null, null, null);
    }

    /** Retries an assertion until it holds or {@link #PATIENCE} runs out (the last failure is reported). */
    static void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Writes to two streams: the test can read what the runtime printed, and the build log shows it. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }
    }
}
