package org.openepro.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openepro.core.json.Json;

/**
 * The HTTP API's JWT authorizer, as API Gateway runs it: the token from the Authorization header
 * (with or without "Bearer "), an RS256 signature by the local key, the issuer, an audience
 * ({@code aud} or {@code client_id}), {@code exp} in the future, {@code nbf} and {@code iat} not in
 * the future; then at least one of the route's scopes. A refusal happens before any handler runs.
 * Claims are handed on as API Gateway renders them: every value a string, arrays as {@code [a b]}.
 */
public final class JwtAuthorizer {
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    private final LocalSigningKey key;
    private final String issuer;
    private final List<String> audiences;
    private final Clock clock;

    public JwtAuthorizer(LocalSigningKey key, String issuer, List<String> audiences, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.audiences = List.copyOf(audiences);
        this.clock = clock;
    }

    /** The local identity provider's authorizer: {@link LocalTokens#ISSUER} and {@link LocalTokens#AUDIENCE}. */
    public static JwtAuthorizer local(LocalSigningKey key, Clock clock) {
        return new JwtAuthorizer(key, LocalTokens.ISSUER, List.of(LocalTokens.AUDIENCE), clock);
    }

    /** What the authorizer decided. */
    public sealed interface Decision {}

    /** Let through, with the claims and scopes for {@code requestContext.authorizer.jwt}. */
    public record Allowed(Map<String, String> claims, List<String> scopes) implements Decision {}

    /**
     * Refused: 401 or 403 with API Gateway's body. {@code reason} says why, for the
     * {@code www-authenticate} header and the local console (never the token itself).
     */
    public record Denied(int status, String reason, List<String> requiredScopes) implements Decision {
        public String body() {
            return status == 403 ? "{\"message\":\"Forbidden\"}" : "{\"message\":\"Unauthorized\"}";
        }

        public String wwwAuthenticate() {
            String error = status == 403 ? "insufficient_scope" : "invalid_token";
            return "Bearer scope=\"" + String.join(" ", requiredScopes) + "\" error=\"" + error
                    + "\" error_description=\"" + reason.replace("\"", "'") + "\"";
        }
    }

    public Decision authorize(String authorizationHeader, List<String> routeScopes) {
        String token = bearerToken(authorizationHeader);
        if (token == null) {
            return unauthorized("no token in the Authorization header", routeScopes);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return unauthorized("the token is not a signed JWT", routeScopes);
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            header = Json.mapper().readTree(B64URL.decode(parts[0]));
            claims = Json.mapper().readTree(B64URL.decode(parts[1]));
            signature = B64URL.decode(parts[2]);
        } catch (IOException | IllegalArgumentException e) {
            return unauthorized("the token cannot be decoded", routeScopes);
        }
        if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
            return unauthorized("the token cannot be decoded", routeScopes);
        }
        if (!"RS256".equals(header.path("alg").asText())) {
            return unauthorized("the token is not signed with RS256", routeScopes);
        }
        if (header.hasNonNull("kid") && !key.keyId().equals(header.get("kid").asText())) {
            return unauthorized("the token was signed by an unknown key", routeScopes);
        }
        byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (!key.verify(signingInput, signature)) {
            return unauthorized("the token's signature is invalid", routeScopes);
        }
        if (!issuer.equals(claims.path("iss").asText(null))) {
            return unauthorized("the token's issuer is not accepted", routeScopes);
        }
        if (!hasAcceptedAudience(claims)) {
            return unauthorized("the token's audience is not accepted", routeScopes);
        }
        long now = clock.instant().getEpochSecond();
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isNumber()) {
            return unauthorized("the token has no expiry", routeScopes);
        }
        if (now >= exp.asLong()) {
            return unauthorized("the token has expired", routeScopes);
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && (!nbf.isNumber() || now < nbf.asLong())) {
            return unauthorized("the token is not valid yet", routeScopes);
        }
        JsonNode iat = claims.get("iat");
        if (iat != null && (!iat.isNumber() || now < iat.asLong())) {
            return unauthorized("the token was issued in the future", routeScopes);
        }
        List<String> scopes = scopes(claims);
        if (!routeScopes.isEmpty() && routeScopes.stream().noneMatch(scopes::contains)) {
            return new Denied(403, "expected scopes: " + routeScopes, routeScopes);
        }
        return new Allowed(renderClaims(claims), scopes.isEmpty() ? null : scopes);
    }

    private static Denied unauthorized(String reason, List<String> routeScopes) {
        return new Denied(401, reason, routeScopes);
    }

    private static String bearerToken(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.regionMatches(true, 0, "Bearer", 0, 6)
                && (value.length() == 6 || Character.isWhitespace(value.charAt(6)))) {
            value = value.substring(6).strip();
        }
        return value.isEmpty() ? null : value;
    }

    private boolean hasAcceptedAudience(JsonNode claims) {
        JsonNode aud = claims.get("aud");
        if (aud != null) {
            if (aud.isTextual() && audiences.contains(aud.asText())) {
                return true;
            }
            if (aud.isArray()) {
                for (JsonNode a : aud) {
                    if (audiences.contains(a.asText())) {
                        return true;
                    }
                }
            }
        }
        // Cognito access tokens carry the app client in client_id instead of aud
        JsonNode clientId = claims.get("client_id");
        return clientId != null && audiences.contains(clientId.asText());
    }

    /** The token's scopes: the space-separated {@code scope} claim, or an {@code scp} array. */
    static List<String> scopes(JsonNode claims) {
        List<String> scopes = new ArrayList<>();
        JsonNode scope = claims.get("scope");
        if (scope != null && scope.isTextual()) {
            for (String s : scope.asText().split(" ")) {
                if (!s.isBlank()) {
                    scopes.add(s);
                }
            }
        }
        JsonNode scp = claims.get("scp");
        if (scp != null && scp.isArray()) {
            scp.forEach(s -> scopes.add(s.asText()));
        }
        return scopes;
    }

    /** Every claim as API Gateway hands it to the function: strings, numbers as written, arrays as {@code [a b]}. */
    static Map<String, String> renderClaims(JsonNode claims) {
        Map<String, String> rendered = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> claim : claims.properties()) {
            rendered.put(claim.getKey(), render(claim.getValue()));
        }
        return rendered;
    }

    private static String render(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue();
            return number.stripTrailingZeros().scale() <= 0
                    ? number.toBigInteger().toString()
                    : number.toPlainString();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(render(v)));
            return "[" + String.join(" ", items) + "]";
        }
        if (value.isObject()) {
            // API Gateway prints nested objects the way Go prints a map: keys sorted
            Map<String, String> sorted = new TreeMap<>();
            value.properties().forEach(e -> sorted.put(e.getKey(), render(e.getValue())));
            List<String> items = new ArrayList<>();
            sorted.forEach((k, v) -> items.add(k + ":" + v));
            return "map[" + String.join(" ", items) + "]";
        }
        return value.isNull() ? "" : value.asText().toLowerCase(Locale.ROOT);
    }
}
