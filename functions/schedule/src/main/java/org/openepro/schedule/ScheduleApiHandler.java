package org.openepro.schedule;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.config.Clocks;
import org.openepro.core.http.HttpAdapter;
import org.openepro.core.metrics.Metrics;
import org.openepro.schedule.api.ScheduleRoutes;

/**
 * The schedule API: {@code PUT /v1/studies/{studyId}/protocol}, {@code PUT
 * /v1/studies/{studyId}/subjects/{subjectId}}, {@code GET /v1/tasks} and {@code GET
 * /v1/studies/{studyId}/compliance}, on the one HTTP adapter.
 */
public final class ScheduleApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final HttpAdapter api;

    /** Lambda's constructor: once per container. */
    public ScheduleApiHandler() {
        this(ScheduleWiring.api(
                        ScheduleConfig.api(System.getenv()),
                        AwsClients.fromEnv(System.getenv()),
                        Clocks.fromEnv(System.getenv()))
                .routes());
    }

    public ScheduleApiHandler(ScheduleRoutes routes) {
        this.api = HttpAdapter.builder(Metrics.forService("schedule-api"))
                .route(ScheduleRoutes.PUT_PROTOCOL, routes::putProtocol)
                .route(ScheduleRoutes.PUT_SUBJECT, routes::putSubject)
                .route(ScheduleRoutes.GET_TASKS, routes::getTasks)
                .route(ScheduleRoutes.GET_COMPLIANCE, routes::getCompliance)
                .build();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, context);
    }
}
