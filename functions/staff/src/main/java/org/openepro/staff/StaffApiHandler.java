package org.openepro.staff;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.List;
import java.util.Map;
import org.openepro.core.http.HttpAdapter;
import org.openepro.core.snapstart.Priming;

/** The staff read API behind the console (scope {@code epro/alerts}) and the console's sign-in settings. */
public final class StaffApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final HttpAdapter api;

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public StaffApiHandler() {
        this(StaffApiWiring.fromEnv(System.getenv()));
        Priming.register("staff-api", () -> prime(this));
    }

    public StaffApiHandler(StaffApiWiring wiring) {
        StaffRoutes routes = new StaffRoutes(wiring);
        this.api = HttpAdapter.builder(wiring.metrics())
                .route(StaffRoutes.CONFIG_ROUTE, routes::config)
                .route(StaffRoutes.REPORT_ROUTE, routes::report)
                .route(StaffRoutes.TIMELINE_ROUTE, routes::timeline)
                .route(StaffRoutes.SUBJECTS_ROUTE, routes::subjects)
                .route(StaffRoutes.AUDIT_ROUTE, routes::audit)
                .build();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, context);
    }

    /**
     * Before a SnapStart snapshot: the console settings (no I/O) and a report read refused for want of
     * the scope (before any read or audit), so the routes, the views' writers and the problem path are
     * loaded. Nothing is read, written or audited.
     */
    static void prime(StaffApiHandler handler) {
        APIGatewayV2HTTPEvent config = new APIGatewayV2HTTPEvent();
        config.setRouteKey(StaffRoutes.CONFIG_ROUTE);
        config.setRawPath("/v1/console/config");
        handler.handleRequest(config, null);
        String reportId = "00000000-0000-4000-8000-000000000000";
        APIGatewayV2HTTPEvent refused = new APIGatewayV2HTTPEvent();
        refused.setRouteKey(StaffRoutes.REPORT_ROUTE);
        refused.setRawPath("/v1/studies/PRIMING/reports/" + reportId);
        refused.setPathParameters(Map.of("studyId", "PRIMING", "reportId", reportId));
        refused.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                                .builder()
                                .withClaims(Map.of("sub", "priming"))
                                .withScopes(List.of())
                                .build())
                        .build())
                .build());
        handler.handleRequest(refused, null);
    }
}
