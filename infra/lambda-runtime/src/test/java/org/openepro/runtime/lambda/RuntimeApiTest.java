package org.openepro.runtime.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Runtime API as a runtime client sees it, over HTTP: the blocking next, the answers, the refusals. */
class RuntimeApiTest {
    private static final String ARN = "arn:aws:lambda:eu-west-1:123456789012:function:F";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RuntimeApi api;

    @BeforeEach
    void start() throws Exception {
        api = RuntimeApi.start(ARN);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void nextBlocksUntilAnEventIsSubmittedThenCarriesLambdasHeaders() throws Exception {
        // GIVEN a runtime waiting for its first event
        CompletableFuture<HttpResponse<String>> next =
                HTTP.sendAsync(get("invocation/next"), HttpResponse.BodyHandlers.ofString());
        assertThat(api.init().get(10, TimeUnit.SECONDS)).isInstanceOf(RuntimeApi.Ready.class);
        Thread.sleep(200);
        assertThat(next).isNotDone();

        // WHEN an invocation is submitted
        RuntimeApi.Invocation invocation =
                new RuntimeApi.Invocation("req-1", utf8("{\"a\":1}"), 1_900_000_000_000L, "Root=1-abc");
        api.submit(invocation);

        // THEN the runtime gets the event and the request id, deadline, ARN and trace headers
        HttpResponse<String> event = next.get(10, TimeUnit.SECONDS);
        assertThat(event.statusCode()).isEqualTo(200);
        assertThat(event.body()).isEqualTo("{\"a\":1}");
        assertThat(event.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).contains("req-1");
        assertThat(event.headers().firstValue("Lambda-Runtime-Deadline-Ms")).contains("1900000000000");
        assertThat(event.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn"))
                .contains(ARN);
        assertThat(event.headers().firstValue("Lambda-Runtime-Trace-Id")).contains("Root=1-abc");
        assertThat(invocation.deliveredNanos()).isPositive();
        assertThat(invocation.outcome()).isNotDone();
    }

    @Test
    void aResponseEndsTheInvocationAndASecondOneIsRefused() throws Exception {
        RuntimeApi.Invocation invocation = delivered("req-2");

        HttpResponse<String> first =
                HTTP.send(post("invocation/req-2/response", "{\"ok\":true}"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> again =
                HTTP.send(post("invocation/req-2/response", "{}"), HttpResponse.BodyHandlers.ofString());

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.body()).isEqualTo("{\"status\":\"OK\"}");
        assertThat(invocation.outcome().get())
                .isInstanceOfSatisfying(
                        RuntimeApi.Response.class,
                        r -> assertThat(new String(r.payload(), StandardCharsets.UTF_8))
                                .isEqualTo("{\"ok\":true}"));
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.body()).contains("\"errorType\":\"InvalidStateTransition\"");
    }

    @Test
    void anUnknownRequestIdIsABadRequest() throws Exception {
        delivered("req-3");

        HttpResponse<String> r =
                HTTP.send(post("invocation/other/response", "{}"), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
    }

    @Test
    void anErrorCarriesItsTypeFromTheHeaderAndItsBody() throws Exception {
        RuntimeApi.Invocation invocation = delivered("req-4");
        String body = "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\",\"stackTrace\":[]}";

        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("invocation/req-4/error"))
                        .header("Lambda-Runtime-Function-Error-Type", "java.lang.IllegalStateException")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(invocation.outcome().get()).isInstanceOfSatisfying(RuntimeApi.FunctionError.class, e -> {
            assertThat(e.errorType()).isEqualTo("java.lang.IllegalStateException");
            assertThat(new String(e.body(), StandardCharsets.UTF_8)).isEqualTo(body);
        });
    }

    @Test
    void aResponseOver6MegabytesIsRefusedAndFailsTheInvocation() throws Exception {
        RuntimeApi.Invocation invocation = delivered("req-5");

        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(uri("invocation/req-5/response"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[RuntimeApi.MAX_RESPONSE_BYTES + 1]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("\"errorType\":\"RequestEntityTooLarge\"");
        assertThat(invocation.outcome().get())
                .isInstanceOfSatisfying(
                        RuntimeApi.FunctionError.class,
                        e -> assertThat(e.errorType()).isEqualTo("Function.ResponseSizeTooLarge"));
    }

    @Test
    void anInitErrorEndsInitAndOnlyTheFirstIsAccepted() throws Exception {
        HttpResponse<String> first = HTTP.send(
                HttpRequest.newBuilder(uri("init/error"))
                        .header("Lambda-Runtime-Function-Error-Type", "Runtime.BadFunctionCode")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"errorMessage\":\"no\",\"errorType\":\"X\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = HTTP.send(post("init/error", "{}"), HttpResponse.BodyHandlers.ofString());

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(api.init().get()).isInstanceOfSatisfying(RuntimeApi.InitError.class, e -> {
            assertThat(e.errorType()).isEqualTo("Runtime.BadFunctionCode");
            assertThat(e.body()).contains("\"errorMessage\":\"no\"");
        });
        assertThat(second.statusCode()).isEqualTo(403);
    }

    @Test
    void theProcessEndingEndsTheInvocationInProgressWithItsExitCode() throws Exception {
        RuntimeApi.Invocation invocation = delivered("req-6");

        api.processExited(137);

        assertThat(invocation.outcome().get()).isEqualTo(new RuntimeApi.Exited(137));
    }

    @Test
    void anUnknownPathIsNotFound() throws Exception {
        HttpResponse<String> r = HTTP.send(get("nowhere"), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(404);
    }

    /** An invocation the runtime has received through next. */
    private RuntimeApi.Invocation delivered(String requestId) throws Exception {
        CompletableFuture<HttpResponse<String>> next =
                HTTP.sendAsync(get("invocation/next"), HttpResponse.BodyHandlers.ofString());
        RuntimeApi.Invocation invocation = new RuntimeApi.Invocation(requestId, utf8("{}"), 1L, "Root=1-x");
        api.submit(invocation);
        assertThat(next.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        return invocation;
    }

    private URI uri(String path) {
        return URI.create("http://" + api.address() + "/2018-06-01/runtime/" + path);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET().build();
    }

    private HttpRequest post(String path, String body) {
        return HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
