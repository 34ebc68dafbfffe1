package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.List;
import java.util.Map;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;

/**
 * A study designer's questionnaire publication: {@code PUT /v1/studies/{studyId}/questionnaires} (publish or
 * retire one of the study's questionnaires) and {@code PUT /v1/studies/{studyId}/built-in-questionnaires}
 * (which built-in instruments the study uses).
 */
final class PublicationRoutes {
    /** A questionnaire with translations is larger than a response; a DynamoDB item holds 400 KB, stored twice. */
    static final int MAX_BODY_BYTES = 128 * 1024;

    private static final List<String> MEDIA_TYPES = List.of(ApiResponses.FHIR_JSON, ApiResponses.JSON);

    private final QuestionnairePublisher publisher;
    private final Metrics metrics;

    PublicationRoutes(QuestionnairePublisher publisher, Metrics metrics) {
        this.publisher = publisher;
        this.metrics = metrics;
    }

    APIGatewayV2HTTPResponse publish(ApiRequest request) {
        request.requireContentType(MEDIA_TYPES);
        return answer(publisher.publish(
                request.caller(), request.pathParameter("studyId").orElse(""), request.body(MAX_BODY_BYTES)));
    }

    APIGatewayV2HTTPResponse selectBuiltIns(ApiRequest request) {
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
