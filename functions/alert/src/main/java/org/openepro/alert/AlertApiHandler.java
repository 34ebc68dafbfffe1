package org.openepro.alert;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.openepro.core.http.HttpAdapter;

/** Staff alert API (scope {@code epro/alerts}): open, list and acknowledge a study's alerts. */
public final class AlertApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final HttpAdapter api;

    /** Lambda's constructor: once per container. */
    public AlertApiHandler() {
        this(AlertApiWiring.fromEnv(System.getenv()));
    }

    public AlertApiHandler(AlertApiWiring wiring) {
        AlertRoutes routes = new AlertRoutes(wiring.inbox());
        this.api = HttpAdapter.builder(wiring.metrics())
                .route("GET /v1/alerts/{alertId}", routes::get)
                .route("POST /v1/alerts/{alertId}/ack", routes::acknowledge)
                .route("GET /v1/studies/{studyId}/alerts", routes::list)
                .build();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, context);
    }
}
