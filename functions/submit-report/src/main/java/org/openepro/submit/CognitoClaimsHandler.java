package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cognito pre-token-generation trigger (event version 2), used only when the stack creates its
 * own user pool: copies the user's OpenEPRO attributes ({@code custom:study_id}, ...) into the
 * access token as the claims the API reads (study_id, site_id, subject_id, studies, roles, sites).
 * Nothing else is added; an attribute the user lacks adds no claim.
 */
public final class CognitoClaimsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    static final List<String> CLAIMS = List.of("study_id", "site_id", "subject_id", "studies", "roles", "sites");

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> request = (Map<String, Object>) event.getOrDefault("request", Map.of());
        Map<String, Object> attributes = (Map<String, Object>) request.getOrDefault("userAttributes", Map.of());
        Map<String, Object> claims = new LinkedHashMap<>();
        for (String claim : CLAIMS) {
            Object value = attributes.get("custom:" + claim);
            if (value instanceof String s && !s.isBlank()) {
                claims.put(claim, s);
            }
        }
        Map<String, Object> out = new HashMap<>(event);
        Map<String, Object> response = new HashMap<>();
        response.put(
                "claimsAndScopeOverrideDetails",
                Map.of(
                        "accessTokenGeneration", Map.of("claimsToAddOrOverride", claims),
                        "idTokenGeneration", Map.of("claimsToAddOrOverride", claims)));
        out.put("response", response);
        return out;
    }
}
