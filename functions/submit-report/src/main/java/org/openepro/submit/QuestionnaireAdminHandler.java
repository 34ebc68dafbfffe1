package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.List;
import java.util.Map;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.HttpAdapter;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.snapstart.Priming;

/**
 * API of questionnaire publication: PUT /v1/studies/{studyId}/questionnaires (a study designer
 * publishes or retires one of the study's questionnaires) and PUT
 * /v1/studies/{studyId}/built-in-questionnaires (which built-in instruments the study uses).
 */
public final class QuestionnaireAdminHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** A questionnaire with translations is larger than a response; a DynamoDB item holds 400 KB, stored twice. */
    public static final int MAX_BODY_BYTES = 128 * 1024;

    private static final List<String> MEDIA_TYPES = List.of(ApiResponses.FHIR_JSON, ApiResponses.JSON);

    private final HttpAdapter api;
    private final QuestionnairePublisher publisher;
    private final Metrics metrics;

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public QuestionnaireAdminHandler() {
        this(QuestionnaireAdminWiring.fromEnv(System.getenv()), true);
    }

    public QuestionnaireAdminHandler(QuestionnaireAdminWiring wiring) {
        this(wiring, false);
    }

    private QuestionnaireAdminHandler(QuestionnaireAdminWiring wiring, boolean snapStart) {
        this.publisher = wiring.publisher();
        this.metrics = wiring.metrics();
        this.api = HttpAdapter.builder(metrics)
                .route("PUT /v1/studies/{studyId}/questionnaires", this::publish)
                .route("PUT /v1/studies/{studyId}/built-in-questionnaires", this::selectBuiltIns)
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

    private APIGatewayV2HTTPResponse publish(ApiRequest request) {
        request.requireContentType(MEDIA_TYPES);
        return answer(publisher.publish(
                request.caller(), request.pathParameter("studyId").orElse(""), request.body(MAX_BODY_BYTES)));
    }

    private APIGatewayV2HTTPResponse selectBuiltIns(ApiRequest request) {
        request.requireContentType(List.of(ApiResponses.JSON));
        return answer(publisher.selectBuiltIns(
                request.caller(), request.pathParameter("studyId").orElse(""), request.body(MAX_BODY_BYTES)));
    }

    private APIGatewayV2HTTPResponse answer(QuestionnairePublisher.Outcome outcome) {
        metrics.count(
                outcome.status() == 201 ? Metric.QUESTIONNAIRES_PUBLISHED : Metric.QUESTIONNAIRE_PUBLICATIONS_REPEATED,
                1);
        return ApiResponses.json(
                outcome.status(),
                outcome.body(),
                outcome.location() == null ? Map.of() : Map.of("location", outcome.location()));
    }
}
