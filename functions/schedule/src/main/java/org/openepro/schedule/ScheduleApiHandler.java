package org.openepro.schedule;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.config.Clocks;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.Problem;
import org.openepro.core.http.ProblemType;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;
import org.openepro.schedule.api.ScheduleRoutes;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The schedule API: {@code PUT /v1/studies/{studyId}/protocol}, {@code PUT
 * /v1/studies/{studyId}/subjects/{subjectId}}, {@code GET /v1/tasks} and {@code GET
 * /v1/studies/{studyId}/compliance}.
 */
public final class ScheduleApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Log LOG = Log.get(ScheduleApiHandler.class);

    private final ScheduleRoutes routes;
    private final Metrics metrics = Metrics.forService("schedule-api");

    /** Lambda's constructor: once per container. */
    public ScheduleApiHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
    }

    public ScheduleApiHandler(Map<String, String> env, AwsClients aws) {
        this(ScheduleWiring.api(ScheduleConfig.api(env), aws, Clocks.fromEnv(env)).routes());
    }

    public ScheduleApiHandler(ScheduleRoutes routes) {
        this.routes = routes;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiRequest request = new ApiRequest(event);
        Log.requestId(context == null ? null : context.getAwsRequestId());
        try {
            return switch (request.routeKey()) {
                case ScheduleRoutes.PUT_PROTOCOL -> routes.putProtocol(request);
                case ScheduleRoutes.PUT_SUBJECT -> routes.putSubject(request);
                case ScheduleRoutes.GET_TASKS -> routes.getTasks(request);
                case ScheduleRoutes.GET_COMPLIANCE -> routes.getCompliance(request);
                default -> throw ApiException.of(ProblemType.NOT_FOUND, "No such route.");
            };
        } catch (ApiException e) {
            LOG.info("request.rejected", "route", request.routeKey(), "status", e.problem().status(),
                    "problem", e.problem().type());
            return ApiResponses.problem(e, request.path());
        } catch (SdkException e) {
            LOG.warn("request.unavailable", "route", request.routeKey(), "error", e.getClass().getSimpleName());
            return ApiResponses.problem(Problem.of(ProblemType.TEMPORARILY_UNAVAILABLE, "Try again shortly.")
                    .at(request.path()), Map.of("retry-after", "2"));
        } catch (RuntimeException e) {
            LOG.error("request.failed", e, "route", request.routeKey());
            return ApiResponses.problem(Problem.of(ProblemType.INTERNAL, "The request could not be completed.")
                    .at(request.path()), Map.of());
        } finally {
            metrics.flush();
            Log.requestId(null);
        }
    }
}
