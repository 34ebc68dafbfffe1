package org.openepro.runtime.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The Lambda Runtime API (version 2018-06-01) one function instance talks to, as Lambda serves it
 * inside an execution environment: {@code GET /runtime/invocation/next} blocks until an event is
 * handed over, {@code POST /runtime/invocation/{id}/response} and {@code .../error} end that
 * invocation, {@code POST /runtime/init/error} reports a failed init. Status codes and error bodies
 * follow the API's OpenAPI document: 202 {@code {"status":"OK"}}, 400 for an unknown request id,
 * 403 for a call out of turn, 413 for a response over 6 MB.
 */
public final class RuntimeApi implements AutoCloseable {
    /** Lambda's limit for a synchronous invocation's response. */
    public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

    private static final String BASE = "/2018-06-01/runtime/";
    private static final String ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type";

    /** How the init phase ended. */
    public sealed interface InitOutcome permits Ready, InitError, Exited {}

    /** The runtime asked for its first event: init is done. */
    public record Ready(long atNanos) implements InitOutcome {}

    /** The runtime reported its init failure (the body is Lambda's error JSON). */
    public record InitError(String errorType, String body) implements InitOutcome {}

    /** The process ended (during init, or with an invocation in progress). */
    public record Exited(int exitCode) implements InitOutcome, Outcome {}

    /** How one invocation ended, as the runtime reported it. */
    public sealed interface Outcome permits Response, FunctionError, Exited {}

    /** The function's result. */
    public record Response(byte[] payload) implements Outcome {}

    /** The function's error (the body is Lambda's error JSON, or whatever the runtime posted). */
    public record FunctionError(String errorType, byte[] body) implements Outcome {}

    /** One event handed to the runtime, and the future its outcome completes. */
    public static final class Invocation {
        private final String requestId;
        private final byte[] event;
        private final long deadlineEpochMillis;
        private final String traceId;
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private volatile long deliveredNanos;

        public Invocation(String requestId, byte[] event, long deadlineEpochMillis, String traceId) {
            this.requestId = requestId;
            this.event = event;
            this.deadlineEpochMillis = deadlineEpochMillis;
            this.traceId = traceId;
        }

        public String requestId() {
            return requestId;
        }

        public CompletableFuture<Outcome> outcome() {
            return outcome;
        }

        /** When the runtime received the event ({@link System#nanoTime()}), 0 while it has not. */
        public long deliveredNanos() {
            return deliveredNanos;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String functionArn;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final CompletableFuture<InitOutcome> init = new CompletableFuture<>();
    private final Object lock = new Object();
    private Invocation current; // guarded by lock

    private RuntimeApi(HttpServer server, ExecutorService executor, String functionArn) {
        this.server = server;
        this.executor = executor;
        this.functionArn = functionArn;
    }

    /** Serves the API on 127.0.0.1 and a free port, for the function {@code functionArn}. */
    public static RuntimeApi start(String functionArn) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // one virtual thread per request: `next` blocks for as long as the instance is idle
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        RuntimeApi api = new RuntimeApi(server, executor, functionArn);
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Completes when the runtime first asks for an event, reports an init error, or exits. */
    public CompletableFuture<InitOutcome> init() {
        return init;
    }

    /** Hands {@code invocation} to the runtime at its next (or current) {@code invocation/next}. */
    public void submit(Invocation invocation) {
        pending.add(invocation);
    }

    /** The process ended: init and any invocation not yet answered end with its exit code. */
    public void processExited(int exitCode) {
        Exited exited = new Exited(exitCode);
        init.complete(exited);
        synchronized (lock) {
            if (current != null) {
                current.outcome.complete(exited);
            }
        }
        for (Invocation waiting; (waiting = pending.poll()) != null; ) {
            waiting.outcome.complete(exited);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!path.startsWith(BASE)) {
                error(exchange, 404, "NotFound", "Unknown path");
                return;
            }
            String route = path.substring(BASE.length());
            if (route.equals("invocation/next")) {
                if (!method.equals("GET")) {
                    error(exchange, 405, "MethodNotAllowed", "Use GET");
                    return;
                }
                next(exchange);
            } else if (route.equals("init/error")) {
                if (!method.equals("POST")) {
                    error(exchange, 405, "MethodNotAllowed", "Use POST");
                    return;
                }
                initError(exchange);
            } else if (route.startsWith("invocation/") && (route.endsWith("/response") || route.endsWith("/error"))) {
                if (!method.equals("POST")) {
                    error(exchange, 405, "MethodNotAllowed", "Use POST");
                    return;
                }
                String rest = route.substring("invocation/".length());
                String requestId = rest.substring(0, rest.lastIndexOf('/'));
                finish(exchange, requestId, route.endsWith("/response"));
            } else {
                error(exchange, 404, "NotFound", "Unknown path");
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        synchronized (lock) {
            if (current != null && !current.outcome.isDone()) {
                error(
                        exchange,
                        403,
                        "InvalidStateTransition",
                        "State transition to next invocation failed: invocation " + current.requestId
                                + " is in progress");
                return;
            }
            current = null;
        }
        init.complete(new Ready(System.nanoTime()));
        Invocation invocation;
        try {
            invocation = pending.take();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            error(exchange, 500, "Runtime.Stopping", "The execution environment is shutting down");
            return;
        }
        synchronized (lock) {
            current = invocation;
        }
        invocation.deliveredNanos = System.nanoTime();
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId);
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineEpochMillis));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.set("Lambda-Runtime-Trace-Id", invocation.traceId);
        try {
            exchange.sendResponseHeaders(200, invocation.event.length == 0 ? -1 : invocation.event.length);
            if (invocation.event.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(invocation.event);
                }
            }
        } catch (IOException runtimeGone) {
            // the process exits in a moment; processExited ends this invocation with its code
            throw runtimeGone;
        }
    }

    private void finish(HttpExchange exchange, String requestId, boolean success) throws IOException {
        Invocation invocation;
        synchronized (lock) {
            invocation = current;
        }
        if (invocation == null || !invocation.requestId.equals(requestId)) {
            error(exchange, 400, "InvalidRequestID", "Invalid request ID");
            return;
        }
        if (invocation.outcome.isDone()) {
            error(
                    exchange,
                    403,
                    "InvalidStateTransition",
                    "State transition from " + (success ? "response" : "error") + " failed: invocation " + requestId
                            + " has already ended");
            return;
        }
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            invocation.outcome.complete(new FunctionError(
                    "Function.ResponseSizeTooLarge",
                    ("{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size ("
                                    + MAX_RESPONSE_BYTES
                                    + " bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}")
                            .getBytes(StandardCharsets.UTF_8)));
            error(
                    exchange,
                    413,
                    "RequestEntityTooLarge",
                    "Exceeded maximum allowed payload size (" + MAX_RESPONSE_BYTES + " bytes).");
            return;
        }
        invocation.outcome.complete(
                success
                        ? new Response(body)
                        : new FunctionError(exchange.getRequestHeaders().getFirst(ERROR_TYPE_HEADER), body));
        accepted(exchange);
    }

    private void initError(HttpExchange exchange) throws IOException {
        byte[] body = readBody(exchange.getRequestBody());
        String type = exchange.getRequestHeaders().getFirst(ERROR_TYPE_HEADER);
        boolean first =
                init.complete(new InitError(type, body == null ? "" : new String(body, StandardCharsets.UTF_8)));
        if (!first) {
            error(exchange, 403, "InvalidStateTransition", "State transition to init error failed: init has ended");
            return;
        }
        accepted(exchange);
    }

    /** The body, or null when it exceeds {@link #MAX_RESPONSE_BYTES}. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
        return body.length > MAX_RESPONSE_BYTES ? null : body;
    }

    private static void accepted(HttpExchange exchange) throws IOException {
        send(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        send(
                exchange,
                status,
                "{\"errorMessage\":\"" + message.replace("\"", "'") + "\",\"errorType\":\"" + type + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops serving; a runtime blocked in {@code next} gets a 500 (Lambda's "exit promptly") or a closed connection. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
