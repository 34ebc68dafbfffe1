package org.openepro.core.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;

/**
 * The one adapter between API Gateway's HTTP API (payload 2.0) and an API function: every API
 * handler is its constructor wiring plus a route table on this class, and hands each event over.
 *
 * <p>Per invocation it tags the log lines with Lambda's request id ({@code requestId}) and API
 * Gateway's ({@code apiRequestId}), dispatches on the {@code routeKey} to one small route function,
 * maps whatever the route throws to one answer, and flushes the metrics once:
 * <ul>
 *   <li>{@link ApiException} (a domain refusal, or a refused validation through
 *       {@link ApiException#refusing}): its own problem, 4xx; logged {@code request.rejected}
 *       (INFO, no stack), counted {@link Metric#REJECTED};</li>
 *   <li>throttling, a 5xx of an AWS service, an SDK timeout or connection failure: 503
 *       {@code temporarily-unavailable} with {@code Retry-After}; logged {@code request.unavailable}
 *       (WARN, with the stack), counted {@link Metric#UNAVAILABLE};</li>
 *   <li>anything else: 500 {@code internal}, a problem that says nothing internal; logged
 *       {@code request.failed} (ERROR, type and stack, never the message), counted {@link Metric#FAILED};</li>
 *   <li>a route key not in the table: 404.</li>
 * </ul>
 * On a route registered with {@link Builder#fhirRoute}, a client that accepts
 * {@code application/fhir+json} gets every refusal as a FHIR {@code OperationOutcome} instead.
 *
 * <p>A handler on it (the whole class):
 * <pre>{@code
 * public final class AlertApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
 *     private final HttpAdapter api;
 *
 *     public AlertApiHandler() { this(AlertApiWiring.fromEnv(System.getenv())); }  // Lambda's, once per container
 *
 *     AlertApiHandler(AlertApiWiring wiring) {                                      // tests bring their own
 *         AlertRoutes routes = new AlertRoutes(wiring.inbox(), wiring.metrics());
 *         api = HttpAdapter.builder(wiring.metrics())
 *                 .route("GET /v1/alerts/{alertId}", routes::get)
 *                 .route("POST /v1/alerts/{alertId}/ack", routes::acknowledge)
 *                 .build();
 *     }
 *
 *     public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
 *         return api.handle(event, context);
 *     }
 * }
 * }</pre>
 * A route reads the request through {@link ApiRequest} (caller, body, parameters: each refuses with
 * its own 4xx), throws {@link ApiException} to refuse, and returns through {@link ApiResponses}; it
 * never catches what it cannot answer better itself. One instance per container; thread-safe.
 */
public final class HttpAdapter {
    /** What a 503 asks the client to wait, in seconds: the SDK has already retried inside the call. */
    public static final int RETRY_AFTER_SECONDS = 2;

    static final String NO_SUCH_ROUTE = "No such route.";
    static final String INTERNAL_DETAIL = "The request could not be completed.";
    static final String DEFAULT_UNAVAILABLE_DETAIL = "The service is briefly unavailable; try again shortly.";

    private static final Log LOG = Log.get(HttpAdapter.class);

    /** One route: reads the request, calls one service, answers; throwing is answered by the adapter. */
    @FunctionalInterface
    public interface Route {
        APIGatewayV2HTTPResponse handle(ApiRequest request) throws Exception;
    }

    private record Entry(Route route, boolean fhir, String resourceType) {}

    private final Map<String, Entry> routes;
    private final Metrics metrics;
    private final String unavailableDetail;

    private HttpAdapter(Map<String, Entry> routes, Metrics metrics, String unavailableDetail) {
        this.routes = Map.copyOf(routes);
        this.metrics = metrics;
        this.unavailableDetail = unavailableDetail;
    }

    /** @param metrics the function's metrics (one per container); flushed once per request */
    public static Builder builder(Metrics metrics) {
        return new Builder(metrics);
    }

    /** The route keys this adapter answers (e.g. {@code POST /v1/reports}), for tests against the template. */
    public Set<String> routeKeys() {
        return routes.keySet();
    }

    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        ApiRequest request = new ApiRequest(event);
        String apiRequestId = request.requestId();
        Log.requestIds(
                context == null ? null : context.getAwsRequestId(), apiRequestId.isEmpty() ? null : apiRequestId);
        Entry entry = routes.get(request.routeKey());
        try {
            if (entry == null) {
                throw ApiException.of(ProblemType.NOT_FOUND, NO_SUCH_ROUTE);
            }
            return Objects.requireNonNull(entry.route().handle(request), "a route answered nothing");
        } catch (ApiException refusal) {
            return refused(refusal, request, entry);
        } catch (Exception failure) {
            return failed(failure, request, entry);
        } finally {
            metrics.flush();
            Log.requestIds(null);
        }
    }

    private APIGatewayV2HTTPResponse refused(ApiException refusal, ApiRequest request, Entry entry) {
        int status = refusal.problem().status();
        Object[] fields = {
            "route",
            request.routeKey(),
            "status",
            status,
            "problem",
            refusal.problem().type()
        };
        if (status >= 500) {
            // a service that answers 503 itself (e.g. a queue it could not reach and said so)
            metrics.count(Metric.UNAVAILABLE, 1);
            LOG.warn("request.unavailable", fields);
        } else {
            metrics.count(Metric.REJECTED, 1);
            LOG.info("request.rejected", fields);
        }
        return render(refusal.problem().at(request.path()), refusal.headers(), refusal, request, entry);
    }

    private APIGatewayV2HTTPResponse failed(Exception failure, ApiRequest request, Entry entry) {
        if (TransientFailures.isTransient(failure)) {
            metrics.count(Metric.UNAVAILABLE, 1);
            LOG.warn("request.unavailable", failure, "route", request.routeKey(), "status", 503);
            return render(
                    Problem.of(ProblemType.TEMPORARILY_UNAVAILABLE, unavailableDetail)
                            .at(request.path()),
                    Map.of("retry-after", Integer.toString(RETRY_AFTER_SECONDS)),
                    null,
                    request,
                    entry);
        }
        metrics.count(Metric.FAILED, 1);
        LOG.error("request.failed", failure, "route", request.routeKey(), "status", 500);
        return render(
                Problem.of(ProblemType.INTERNAL, INTERNAL_DETAIL).at(request.path()), Map.of(), null, request, entry);
    }

    private static APIGatewayV2HTTPResponse render(
            Problem problem, Map<String, String> headers, ApiException refusal, ApiRequest request, Entry entry) {
        if (entry != null && entry.fhir() && acceptsFhir(request)) {
            String outcome = OperationOutcomeWriter.write(
                    problem, refusal == null ? List.of() : refusal.issues(), entry.resourceType());
            return ApiResponses.response(problem.status(), ApiResponses.FHIR_JSON, outcome, headers);
        }
        return ApiResponses.problem(problem, headers);
    }

    /** Whether the Accept header names application/fhir+json (and does not refuse it with q=0). */
    static boolean acceptsFhir(ApiRequest request) {
        String accept = request.header("accept").orElse("");
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(ApiResponses.FHIR_JSON)) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
                if (p.startsWith("q=") && p.substring(2).matches("0(\\.0{0,3})?")) {
                    refused = true;
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }

    /** The route table of one API function. */
    public static final class Builder {
        private final Metrics metrics;
        private final Map<String, Entry> routes = new LinkedHashMap<>();
        private String unavailableDetail = DEFAULT_UNAVAILABLE_DETAIL;

        private Builder(Metrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
        }

        /** @param routeKey API Gateway's route key, as in template.yaml: {@code "GET /v1/alerts/{alertId}"} */
        public Builder route(String routeKey, Route route) {
            return add(routeKey, new Entry(route, false, null));
        }

        /**
         * A route of FHIR resources: refusals render as an OperationOutcome for a client that asks
         * for {@code application/fhir+json}.
         *
         * @param resourceType the FHIR resource the request body carries (the root of each issue's
         *                     expression), or null when the request carries none
         */
        public Builder fhirRoute(String routeKey, String resourceType, Route route) {
            return add(routeKey, new Entry(route, true, resourceType));
        }

        /** What a 503 tells the client to do, when the function knows better than "try again shortly". */
        public Builder unavailableDetail(String detail) {
            this.unavailableDetail = Objects.requireNonNull(detail, "detail");
            return this;
        }

        public HttpAdapter build() {
            return new HttpAdapter(routes, metrics, unavailableDetail);
        }

        private Builder add(String routeKey, Entry entry) {
            Objects.requireNonNull(entry.route(), "route");
            if (routes.putIfAbsent(routeKey, entry) != null) {
                throw new IllegalArgumentException("route " + routeKey + " is in the table twice");
            }
            return this;
        }
    }
}
