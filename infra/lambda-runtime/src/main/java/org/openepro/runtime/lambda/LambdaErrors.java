package org.openepro.runtime.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Lambda's error JSON ({@code errorType}, {@code errorMessage}, {@code stackTrace}, {@code cause}) as console lines. */
public final class LambdaErrors {
    // a plain mapper: these bodies come from our own functions' runtime, not from a client
    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaErrors() {}

    /** The error's type, message and stack, one line each; the body as it is when it is not Lambda's shape. */
    public static List<String> describe(String body) {
        List<String> lines = new ArrayList<>();
        try {
            JsonNode error = JSON.readTree(body);
            for (int depth = 0; error != null && error.isObject() && depth < 5; depth++) {
                lines.add((depth == 0 ? "" : "caused by ")
                        + error.path("errorType").asText("?") + ": "
                        + error.path("errorMessage").asText(""));
                for (JsonNode frame : error.path("stackTrace")) {
                    lines.add("    at " + frame.asText());
                }
                error = error.get("cause");
            }
        } catch (IOException notJson) {
            lines.add(body);
        }
        return lines;
    }

    /** The {@code errorType} of an error body, or null. */
    public static String type(byte[] body) {
        try {
            JsonNode error = JSON.readTree(body);
            return error != null && error.hasNonNull("errorType")
                    ? error.get("errorType").asText()
                    : null;
        } catch (IOException notJson) {
            return null;
        }
    }
}
