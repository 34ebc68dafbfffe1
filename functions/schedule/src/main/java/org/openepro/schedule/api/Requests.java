package org.openepro.schedule.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.Problem;
import org.openepro.core.http.ProblemType;
import org.openepro.core.json.Json;

/** What the schedule routes share when reading a request: ids in the path, a JSON body, refusals. */
final class Requests {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final int MAX_BODY = 64 * 1024;

    private Requests() {}

    static String pathId(ApiRequest request, String name) {
        String value = request.pathParameter(name).orElse("");
        if (!ID.matcher(value).matches()) {
            throw ApiException.of(
                    ProblemType.INVALID_PARAMETERS,
                    "The " + name + " in the path must be 1-64 letters, digits, '.', '_' or '-'.");
        }
        return value;
    }

    static JsonNode jsonBody(ApiRequest request) {
        request.requireContentType(List.of("application/json"));
        byte[] body = request.body(MAX_BODY);
        try {
            JsonNode node = Json.mapper().readTree(body);
            if (node == null || !node.isObject()) {
                throw ApiException.of(ProblemType.MALFORMED_REQUEST, "The body must be one JSON object.");
            }
            return node;
        } catch (IOException e) {
            // the parser's message quotes the input: say only what is wrong
            throw ApiException.of(ProblemType.MALFORMED_REQUEST, "The body is not valid JSON.");
        }
    }

    static ApiException unprocessable(String what, List<Problem.FieldError> errors) {
        return new ApiException(Problem.of(
                ProblemType.VALIDATION_FAILED,
                errors.size() + (errors.size() == 1 ? " problem in the " : " problems in the ") + what + ".",
                errors));
    }

    static ApiException invalidParameters(List<Problem.FieldError> errors) {
        return new ApiException(Problem.of(
                ProblemType.INVALID_PARAMETERS,
                errors.size() + (errors.size() == 1 ? " invalid query parameter." : " invalid query parameters."),
                errors));
    }

    static ApiException forbidden(String detail) {
        return ApiException.of(ProblemType.FORBIDDEN, detail);
    }
}
