package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.List;
import java.util.Map;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.Caller;
import org.openepro.core.http.ProblemType;

/**
 * The questionnaire catalogue the patient app renders: {@code GET /v1/questionnaires[/{questionnaireId}]},
 * exactly the caller's study's questionnaires, in the language asked for, with ETags.
 */
final class QuestionnaireRoutes {
    private final QuestionnaireCatalog catalog;

    QuestionnaireRoutes(QuestionnaireCatalog catalog) {
        this.catalog = catalog;
    }

    APIGatewayV2HTTPResponse all(ApiRequest request) {
        Caller caller = request.caller();
        return cacheable(request, catalog.bundle(caller, languages(request)));
    }

    APIGatewayV2HTTPResponse one(ApiRequest request) {
        Caller caller = request.caller();
        String id = request.pathParameter("questionnaireId").orElse("");
        boolean explicit =
                request.queryParameter("lang").filter(l -> !l.isBlank()).isPresent();
        return catalog.questionnaire(caller, id, request.queryParameter("version"), languages(request), explicit)
                .map(r -> cacheable(request, r))
                .orElseThrow(() -> ApiException.of(ProblemType.NOT_FOUND, "No questionnaire has this id and version."));
    }

    private static List<String> languages(ApiRequest request) {
        return QuestionnaireCatalog.languages(request.queryParameter("lang"), request.header("accept-language"));
    }

    /**
     * The app may keep what it renders: an ETag per body, and 304 (no body) when it sends the ETag
     * it has. "no-cache" makes it ask each time; private, since it depends on the caller's study.
     */
    private static APIGatewayV2HTTPResponse cacheable(ApiRequest request, QuestionnaireCatalog.Rendered r) {
        Map<String, String> headers = Map.of(
                "etag", r.etag(), "cache-control", "private, no-cache", "vary", "Authorization, Accept-Language");
        if (QuestionnaireCatalog.matches(request.header("if-none-match"), r.etag())) {
            return ApiResponses.response(304, ApiResponses.FHIR_JSON, "", headers);
        }
        return ApiResponses.response(200, ApiResponses.FHIR_JSON, r.body(), headers);
    }
}
