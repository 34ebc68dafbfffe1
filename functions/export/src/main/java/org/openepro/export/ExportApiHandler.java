package org.openepro.export;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.openepro.core.http.HttpAdapter;
import org.openepro.core.snapstart.Priming;

/** Export API (scope {@code epro/export}): export jobs of a study's data, and their download links. */
public final class ExportApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final HttpAdapter api;

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public ExportApiHandler() {
        this(ExportApiWiring.fromEnv(System.getenv()), true);
    }

    public ExportApiHandler(ExportApiWiring wiring) {
        this(wiring, false);
    }

    private ExportApiHandler(ExportApiWiring wiring, boolean snapStart) {
        ExportRoutes routes = new ExportRoutes(wiring.requests(), wiring.metrics());
        this.api = HttpAdapter.builder(wiring.metrics())
                .route("POST /v1/studies/{studyId}/exports", routes::request)
                .route("GET /v1/exports/{exportId}", routes::status)
                .build();
        if (snapStart) {
            Priming.register(ExportApiWiring.SERVICE, wiring::prime);
        }
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, context);
    }
}
