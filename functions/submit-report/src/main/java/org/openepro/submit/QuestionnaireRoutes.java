package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.ProblemType;

/** The questionnaire catalogue the patient app renders: {@code GET /v1/questionnaires[/{questionnaireId}]}. */
final class QuestionnaireRoutes {
    private final QuestionnaireCatalog catalog;

    QuestionnaireRoutes(QuestionnaireCatalog catalog) {
        this.catalog = catalog;
    }

    APIGatewayV2HTTPResponse all(ApiRequest request) {
        request.caller();
        return ApiResponses.response(200, ApiResponses.FHIR_JSON, catalog.bundle(), Map.of());
    }

    APIGatewayV2HTTPResponse one(ApiRequest request) {
        request.caller();
        String id = request.pathParameter("questionnaireId").orElse("");
        return catalog.questionnaire(id, request.queryParameter("version"))
                .map(json -> ApiResponses.response(200, ApiResponses.FHIR_JSON, json, Map.of()))
                .orElseThrow(() -> ApiException.of(ProblemType.NOT_FOUND, "No questionnaire has this id and version."));
    }
}
