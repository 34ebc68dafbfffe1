package org.openepro.export;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.Problem;
import org.openepro.core.http.ProblemType;
import org.openepro.core.json.Json;
import org.openepro.core.http.Caller;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.snapstart.Priming;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.export.format.ExporterRegistry;
import org.openepro.export.job.ExportJob;
import org.openepro.export.job.ExportJobStore;

/** POST /v1/studies/{studyId}/exports and GET /v1/exports/{exportId} (scope epro/export). */
public final class ExportApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Log LOG = Log.get(ExportApiHandler.class);
    private static final String POST_ROUTE = "POST /v1/studies/{studyId}/exports";
    private static final String GET_ROUTE = "GET /v1/exports/{exportId}";

    private final ExportRequests requests;
    private final ObjectWriter writer = Json.writer(ObjectNode.class);
    private final Metrics metrics = Metrics.forService("export-api");

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public ExportApiHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
        Priming.register("export-api", () -> prime(requests));
    }

    /** Parses and refuses a request the way a real one is (a caller without the scope), writing nothing. */
    static void prime(ExportRequests requests) {
        Caller nobody = Caller.fromClaims(java.util.Map.of("sub", "priming"), java.util.List.of());
        try {
            requests.request(nobody, "PRIMING",
                    "{\"format\":\"csv\",\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"profile\":\"limited\"}"
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
        } catch (ApiException expected) {
            // refused before anything is stored: that is the point
        }
    }

    public ExportApiHandler(Map<String, String> env, AwsClients aws) {
        this(env, aws, QuestionnaireRegistry.load());
    }

    /** With other questionnaire definitions than the packaged ones (tests, the local runtime). */
    public ExportApiHandler(Map<String, String> env, AwsClients aws, QuestionnaireRegistry questionnaires) {
        this(services(ExportApiConfig.fromEnv(env), aws, questionnaires));
    }

    public ExportApiHandler(ExportRequests requests) {
        this.requests = requests;
    }

    private static ExportRequests services(ExportApiConfig config, AwsClients aws,
                                           QuestionnaireRegistry questionnaires) {
        return new ExportRequests(config, new ExportJobStore(aws.dynamo(), config.exportsTable()),
                new AuditLog(aws.dynamo(), config.auditTable()), aws.sqs(), aws.presigner(),
                ExporterRegistry.standard(), questionnaires, Clock.systemUTC());
    }

    /**
     * The full URL of the kick-off request, as a FHIR Bulk Data manifest records it: API Gateway's own
     * domain name (the Host header only when it names that domain, adding a port, as the local API's
     * does), the scheme it was reached by, and the raw path and query.
     */
    static String kickoffUrl(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        String domain = ctx == null ? null : ctx.getDomainName();
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        String host = headers.get("host");
        if (domain == null || domain.isBlank()) {
            return event.getRawPath();
        }
        String authority = host != null && host.matches(java.util.regex.Pattern.quote(domain) + "(:\\d{1,5})?")
                ? host : domain;
        String scheme = "http".equals(headers.get("x-forwarded-proto")) ? "http" : "https";
        String query = event.getRawQueryString() == null || event.getRawQueryString().isEmpty()
                ? "" : "?" + event.getRawQueryString();
        return scheme + "://" + authority + event.getRawPath() + query;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiRequest request = new ApiRequest(event);
        Log.requestId(context == null ? null : context.getAwsRequestId());
        try {
            String route = request.routeKey();
            if (route.equals(POST_ROUTE) || (route.isEmpty() && request.method().equals("POST"))) {
                String studyId = request.pathParameter("studyId")
                        .orElseThrow(() -> ApiException.of(ProblemType.NOT_FOUND, "No such route."));
                request.requireContentType(List.of(ApiResponses.JSON));
                ExportJob job = requests.request(request.caller(), studyId, request.body(ExportRequests.MAX_BODY_BYTES),
                        kickoffUrl(event));
                metrics.count("ExportsRequested", 1);
                return ApiResponses.json(202, writer.writeValueAsString(ExportRequests.view(job)),
                        Map.of("location", ExportObjects.apiPath(job.exportId())));
            }
            if (route.equals(GET_ROUTE) || (route.isEmpty() && request.method().equals("GET"))) {
                String exportId = request.pathParameter("exportId")
                        .orElseThrow(() -> ApiException.of(ProblemType.NOT_FOUND, "No such route."));
                ObjectNode status = requests.status(request.caller(), exportId);
                if (status.has("download")) {
                    metrics.count("ExportLinksIssued", 1);
                }
                return ApiResponses.json(200, writer.writeValueAsString(status), Map.of());
            }
            throw ApiException.of(ProblemType.NOT_FOUND, "No such route.");
        } catch (ApiException e) {
            return ApiResponses.problem(e, request.path());
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.error("export.api.failed", e);
            return ApiResponses.problem(Problem.of(ProblemType.INTERNAL, "The request failed; try again.")
                    .at(request.path()), Map.of());
        } finally {
            metrics.flush();
            Log.requestId(null);
        }
    }
}
