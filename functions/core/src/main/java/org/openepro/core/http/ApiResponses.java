package org.openepro.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.HashMap;
import java.util.Map;
import org.openepro.core.json.Json;

/** Builds HTTP API responses: JSON bodies and RFC 9457 problem documents. */
public final class ApiResponses {
    public static final String JSON = "application/json";
    public static final String FHIR_JSON = "application/fhir+json";
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final ObjectWriter PROBLEM_WRITER = Json.writer(Problem.class);

    private ApiResponses() {}

    public static APIGatewayV2HTTPResponse json(int status, String body, Map<String, String> extraHeaders) {
        return response(status, JSON, body, extraHeaders);
    }

    public static APIGatewayV2HTTPResponse response(
            int status, String contentType, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders.size() + 3);
        headers.put("content-type", contentType);
        headers.put("cache-control", "no-store");
        headers.put("x-content-type-options", "nosniff");
        headers.putAll(extraHeaders);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .build();
    }

    public static APIGatewayV2HTTPResponse problem(Problem problem, Map<String, String> extraHeaders) {
        String body;
        try {
            body = PROBLEM_WRITER.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            // a record of strings cannot fail to serialise; keep the response well-formed regardless
            body = "{\"type\":\"" + ProblemType.INTERNAL.uri() + "\",\"title\":\"Internal error\",\"status\":500}";
        }
        return response(problem.status(), PROBLEM_JSON, body, extraHeaders);
    }

    public static APIGatewayV2HTTPResponse problem(ApiException e, String instance) {
        return problem(e.problem().at(instance), e.headers());
    }
}
