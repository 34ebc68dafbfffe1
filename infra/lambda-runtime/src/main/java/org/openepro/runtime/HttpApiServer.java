package org.openepro.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openepro.runtime.lambda.FunctionPool;
import org.openepro.runtime.lambda.InvokeResult;

/**
 * The HTTP API on the developer's machine: API Gateway's route matching, JWT authorizer and
 * payload format 2.0 in front of the functions (each invocation is a payload 2.0 event JSON handed
 * to an instance of the route's function), on the JDK's HTTP server with one virtual thread per
 * request. Paths that are not API routes (a static site, a sign-in page) can be served beside it
 * with {@link #serve}.
 */
public final class HttpApiServer implements AutoCloseable {
    /** API Gateway's request payload limit. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor;
    private final RouteTable routes;
    private final JwtAuthorizer authorizer;
    private final Map<String, FunctionPool> functions;
    private final Clock clock;
    private final Console console;
    private final ConsoleSite site;

    private HttpApiServer(
            HttpServer server,
            ExecutorService executor,
            RouteTable routes,
            JwtAuthorizer authorizer,
            Map<String, FunctionPool> functions,
            Clock clock,
            Console console,
            ConsoleSite site) {
        this.server = server;
        this.executor = executor;
        this.routes = routes;
        this.authorizer = authorizer;
        this.functions = functions;
        this.clock = clock;
        this.console = console;
        this.site = site;
    }

    public static HttpApiServer start(
            InetSocketAddress address,
            RouteTable routes,
            JwtAuthorizer authorizer,
            Map<String, FunctionPool> functions,
            Clock clock,
            Console console)
            throws IOException {
        return start(address, routes, authorizer, functions, clock, console, null);
    }

    /** As above, with the staff console (and the local sign-in) served under {@code /console/} when {@code site} is given. */
    public static HttpApiServer start(
            InetSocketAddress address,
            RouteTable routes,
            JwtAuthorizer authorizer,
            Map<String, FunctionPool> functions,
            Clock clock,
            Console console,
            ConsoleSite site)
            throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        HttpApiServer api =
                new HttpApiServer(server, executor, routes, authorizer, Map.copyOf(functions), clock, console, site);
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    /**
     * Serves {@code pathPrefix} (e.g. {@code /console/}) with {@code handler} instead of the API:
     * the JDK server gives the longest matching prefix its request, so every other path stays an API route.
     */
    public void serve(String pathPrefix, HttpHandler handler) {
        server.createContext(pathPrefix, handler);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port());
    }

    private void handle(HttpExchange exchange) throws IOException {
        long t0 = System.nanoTime();
        String requestId = apiRequestId();
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath();
        String target = "-";
        HttpEvents.Reply reply;
        try (exchange) {
            try {
                byte[] body = readBody(exchange.getRequestBody());
                if (body == null) {
                    reply = HttpEvents.Reply.json(413, "{\"message\":\"Request Entity Too Large\"}");
                } else {
                    HttpEvents.RawRequest request = new HttpEvents.RawRequest(
                            method,
                            rawPath,
                            exchange.getRequestURI().getRawQuery(),
                            headers(exchange),
                            body,
                            exchange.getRemoteAddress().getAddress().getHostAddress(),
                            exchange.getProtocol());
                    if (site != null && site.handles(rawPath)) {
                        target = "console";
                        reply = site.serve(request);
                    } else {
                        Optional<RouteTable.Match> match = routes.match(method, rawPath);
                        if (match.isPresent()) {
                            target = match.get().route().functionId();
                        }
                        reply = route(request, match, requestId);
                    }
                }
            } catch (RuntimeException e) {
                console.error("local API: request " + requestId + " failed in the runtime", e);
                reply = HttpEvents.Reply.json(500, "{\"message\":\"Internal Server Error\"}");
            }
            reply = reply.withHeader("apigw-requestid", requestId);
            write(exchange, method, reply);
        }
        console.line(
                "%-6s %-40s %d  %4d ms  %s",
                method, rawPath, reply.status(), (System.nanoTime() - t0) / 1_000_000, target);
    }

    private HttpEvents.Reply route(HttpEvents.RawRequest request, Optional<RouteTable.Match> match, String requestId) {
        if (match.isEmpty()) {
            return HttpEvents.Reply.json(404, "{\"message\":\"Not Found\"}");
        }
        RouteTable.Route route = match.get().route();
        JwtAuthorizer.Decision decision =
                route.open() ? null : authorizer.authorize(request.firstHeader("authorization"), route.scopes());
        if (decision instanceof JwtAuthorizer.Denied denied) {
            console.line(
                    "authorizer: %s %s refused with %d: %s",
                    request.method(), request.rawPath(), denied.status(), denied.reason());
            return HttpEvents.Reply.json(denied.status(), denied.body())
                    .withHeader("www-authenticate", denied.wwwAuthenticate());
        }
        FunctionPool function = functions.get(route.functionId());
        if (function == null) {
            return HttpEvents.Reply.json(500, "{\"message\":\"Internal Server Error\"}");
        }
        // an open route's event has no authorizer context, as API Gateway sends it
        APIGatewayV2HTTPEvent event = HttpEvents.toEvent(
                request, match.get(), (JwtAuthorizer.Allowed) decision, requestId, Instant.now(clock));
        InvokeResult result = function.invoke(LambdaEvents.httpApi(event));
        return switch (result.status()) {
            case SUCCEEDED -> HttpEvents.toReply(result.payload());
            case FUNCTION_ERROR -> {
                console.line("%s (request %s) failed: %s", function.id(), result.requestId(), result.errorType());
                yield HttpEvents.Reply.json(500, "{\"message\":\"Internal Server Error\"}");
            }
            case TIMED_OUT -> {
                // a Lambda timeout is a Lambda error to API Gateway: 500, not its own 503 (the 30 s integration
                // timeout)
                console.line(
                        "%s ran %d ms, over its Timeout of %d s: Lambda stopped it",
                        function.id(),
                        result.duration().toMillis(),
                        function.timeout().toSeconds());
                yield HttpEvents.Reply.json(500, "{\"message\":\"Internal Server Error\"}");
            }
            // no answer from the function at all (it could not start, or its process ended): API Gateway's 502
            case INIT_FAILED, CRASHED -> HttpEvents.Reply.json(502, "{\"message\":\"Internal Server Error\"}");
        };
    }

    /** The body, or null when it exceeds {@link #MAX_BODY_BYTES}. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static Map<String, List<String>> headers(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        return headers;
    }

    private static void write(HttpExchange exchange, String method, HttpEvents.Reply reply) throws IOException {
        reply.headers().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
        boolean noBody = method.equalsIgnoreCase("HEAD")
                || reply.status() == 204
                || reply.status() == 304
                || reply.body().length == 0;
        exchange.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    /** API Gateway's request ids look like {@code JKJaXmPLvHcESHA=}. */
    private static String apiRequestId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder()
                        .withoutPadding()
                        .encodeToString(bytes)
                        .replace('+', 'a')
                        .replace('/', 'b') + "=";
    }

    /** Stops listening, then gives requests in progress {@link LocalRuntime#SHUTDOWN_GRACE} to finish. */
    @Override
    public void close() {
        server.stop((int) LocalRuntime.SHUTDOWN_GRACE.toSeconds());
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
