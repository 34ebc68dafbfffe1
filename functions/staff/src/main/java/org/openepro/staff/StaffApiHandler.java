package org.openepro.staff;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.time.Clock;
import java.util.Map;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.Problem;
import org.openepro.core.http.ProblemType;
import org.openepro.core.json.Json;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.snapstart.Priming;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The staff read API behind the console, scope {@code epro/alerts}, for staff assigned to the study:
 * a report with its versions, a subject's timeline, the subject roster and the audit trail; and the
 * console's sign-in settings ({@code GET /v1/console/config}, unauthenticated).
 */
public final class StaffApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final String CONFIG_ROUTE = "GET /v1/console/config";
    static final String REPORT_ROUTE = "GET /v1/studies/{studyId}/reports/{reportId}";
    static final String TIMELINE_ROUTE = "GET /v1/studies/{studyId}/subjects/{subjectId}/timeline";
    static final String SUBJECTS_ROUTE = "GET /v1/studies/{studyId}/subjects";
    static final String AUDIT_ROUTE = "GET /v1/studies/{studyId}/audit";

    private static final Log LOG = Log.get(StaffApiHandler.class);
    private static final ObjectWriter REPORT_WRITER = Json.writer(ReportView.class);
    private static final ObjectWriter TIMELINE_WRITER = Json.writer(SubjectViews.Timeline.class);
    private static final ObjectWriter ROSTER_WRITER = Json.writer(SubjectViews.Roster.class);
    private static final ObjectWriter AUDIT_WRITER = Json.writer(AuditTrail.Page.class);
    private static final ObjectWriter CONFIG_WRITER = Json.writer(ConsoleSettings.class);

    private final ConsoleSettings console;
    private final ReportDetail reports;
    private final SubjectViews subjects;
    private final AuditTrail auditTrail;
    private final Metrics metrics;

    public StaffApiHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
        Priming.register("staff-api", () -> prime(this));
    }

    public StaffApiHandler(Map<String, String> env, AwsClients aws) {
        this(StaffApiConfig.fromEnv(env), aws, Clock.systemUTC());
    }

    public StaffApiHandler(StaffApiConfig config, AwsClients aws, Clock clock) {
        QuestionnaireRegistry registry = QuestionnaireRegistry.load();
        AuditLog audit = new AuditLog(aws.dynamo(), config.auditTable());
        AuditReader auditReader = new AuditReader(aws.dynamo(), config.auditTable());
        this.console = config.console();
        this.reports = new ReportDetail(new ReportVersions(aws.dynamo(), config.reportsTable()), auditReader, audit,
                registry, clock);
        this.subjects = new SubjectViews(new ProjectionReader(aws.dynamo(), config.projectionsTable()),
                new OpenAlerts(aws.dynamo(), config.alertsTable()), audit, registry, clock);
        this.auditTrail = new AuditTrail(auditReader, clock);
        this.metrics = Metrics.forService("staff-api");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiRequest request = new ApiRequest(event);
        Log.requestId(request.requestId().isEmpty() ? null : request.requestId());
        try {
            return switch (request.routeKey()) {
                case CONFIG_ROUTE -> ok(CONFIG_WRITER, console.servedFrom(StaffQuery.origin(request)));
                case REPORT_ROUTE -> ok(REPORT_WRITER, reports.read(request.caller(), StaffQuery.studyId(request),
                        StaffQuery.reportId(request)));
                case TIMELINE_ROUTE -> {
                    StaffQuery.Timeline q = StaffQuery.timeline(request);
                    yield ok(TIMELINE_WRITER, subjects.timeline(request.caller(), q.studyId(), q.subjectId(),
                            q.questionnaireId(), q.limit(), q.before()));
                }
                case SUBJECTS_ROUTE -> {
                    StaffQuery.Subjects q = StaffQuery.subjects(request);
                    yield ok(ROSTER_WRITER, subjects.roster(request.caller(), q.studyId(), q.siteId(), q.limit(),
                            q.after()));
                }
                case AUDIT_ROUTE -> ok(AUDIT_WRITER, auditTrail.page(request.caller(), StaffQuery.studyId(request),
                        StaffQuery.audit(request)));
                default -> throw ApiException.of(ProblemType.NOT_FOUND, "No such route.");
            };
        } catch (ApiException e) {
            return ApiResponses.problem(e, request.path());
        } catch (SdkException e) {
            LOG.error("staff.api.aws.failed", e, "route", request.routeKey());
            return ApiResponses.problem(Problem.of(ProblemType.TEMPORARILY_UNAVAILABLE, "Try again shortly.")
                    .at(request.path()), Map.of("retry-after", "1"));
        } catch (RuntimeException e) {
            LOG.error("staff.api.failed", e, "route", request.routeKey());
            return ApiResponses.problem(Problem.of(ProblemType.INTERNAL, "The request could not be completed.")
                    .at(request.path()), Map.of());
        } finally {
            metrics.flush();
            Log.requestId(null);
        }
    }

    /**
     * Before a SnapStart snapshot: the console settings (no I/O) and a report read refused for want of
     * the scope (before any read or audit), so the routes, the views' writers and the problem path are
     * loaded. Nothing is read, written or audited.
     */
    static void prime(StaffApiHandler handler) {
        APIGatewayV2HTTPEvent config = new APIGatewayV2HTTPEvent();
        config.setRouteKey(CONFIG_ROUTE);
        config.setRawPath("/v1/console/config");
        handler.handleRequest(config, null);
        APIGatewayV2HTTPEvent refused = new APIGatewayV2HTTPEvent();
        refused.setRouteKey(REPORT_ROUTE);
        refused.setRawPath("/v1/studies/PRIMING/reports/00000000-0000-4000-8000-000000000000");
        refused.setPathParameters(Map.of("studyId", "PRIMING", "reportId", "00000000-0000-4000-8000-000000000000"));
        refused.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                .withClaims(Map.of("sub", "priming")).withScopes(java.util.List.of()).build())
                        .build())
                .build());
        handler.handleRequest(refused, null);
    }

    private static APIGatewayV2HTTPResponse ok(ObjectWriter writer, Object value) {
        try {
            return ApiResponses.json(200, writer.writeValueAsString(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a view of records cannot fail to serialise", e);
        }
    }
}
