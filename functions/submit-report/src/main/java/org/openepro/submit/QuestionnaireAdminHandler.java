package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import org.openepro.core.http.HttpAdapter;
import org.openepro.core.snapstart.Priming;

/** API adapter of questionnaire publication ({@link PublicationRoutes}): wiring and the route table. */
public final class QuestionnaireAdminHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final HttpAdapter api;

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public QuestionnaireAdminHandler() {
        this(QuestionnaireAdminWiring.fromEnv(System.getenv()), true);
    }

    public QuestionnaireAdminHandler(QuestionnaireAdminWiring wiring) {
        this(wiring, false);
    }

    private QuestionnaireAdminHandler(QuestionnaireAdminWiring wiring, boolean snapStart) {
        PublicationRoutes routes = new PublicationRoutes(wiring.publisher(), wiring.metrics());
        this.api = HttpAdapter.builder(wiring.metrics())
                .route("PUT /v1/studies/{studyId}/questionnaires", routes::publish)
                .route("PUT /v1/studies/{studyId}/built-in-questionnaires", routes::selectBuiltIns)
                .unavailableDetail("The questionnaire could not be published right now; retry the same request.")
                .build();
        if (snapStart) {
            Priming.register(QuestionnaireAdminWiring.SERVICE, wiring::prime);
        }
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, context);
    }
}
