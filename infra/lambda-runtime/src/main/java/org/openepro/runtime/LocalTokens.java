package org.openepro.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.openepro.core.http.Caller;
import org.openepro.core.json.Json;

/**
 * The local identity provider: signs RS256 access tokens with the claims OpenEPRO's handlers
 * read (see {@link Caller}), for the issuer and audience the local authorizer accepts.
 */
public final class LocalTokens {
    public static final String ISSUER = "https://auth.openepro.local";
    public static final String AUDIENCE = "openepro-local";
    public static final Duration LIFETIME = Duration.ofHours(12);

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final LocalSigningKey key;
    private final Clock clock;

    public LocalTokens(LocalSigningKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** A study participant's token: may submit reports for exactly this study, site and subject. */
    public String patient(String studyId, String siteId, String subjectId) {
        Map<String, Object> claims = standardClaims(Caller.SCOPE_REPORT_WRITE);
        claims.put("study_id", studyId);
        claims.put("site_id", siteId);
        claims.put("subject_id", subjectId);
        return sign(claims);
    }

    /**
     * A staff member's token: exports and alerts of the studies assigned, with extra roles (e.g.
     * export-identified); a study designer also gets the admin scope (publishing questionnaires).
     */
    public String staff(List<String> studies, List<String> roles) {
        Map<String, Object> claims = standardClaims(Caller.SCOPE_EXPORT + " " + Caller.SCOPE_ALERTS
                + (roles.contains("study-designer") ? " " + Caller.SCOPE_ADMIN : ""));
        claims.put("studies", List.copyOf(studies));
        claims.put("roles", List.copyOf(roles));
        return sign(claims);
    }

    /** iss, aud, sub (a fresh UUID), token_use, iat/nbf now, exp after {@link #LIFETIME}, and the scope. */
    public Map<String, Object> standardClaims(String scope) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", UUID.randomUUID().toString());
        claims.put("token_use", "access");
        claims.put("scope", scope);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + LIFETIME.toSeconds());
        claims.put("jti", UUID.randomUUID().toString());
        return claims;
    }

    /** Signs any claims set with this key (tests use it for tokens the authorizer must refuse). */
    public String sign(Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", key.keyId());
        String signingInput = encode(header) + "." + encode(claims);
        byte[] signature = key.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64URL.encodeToString(signature);
    }

    /** When a token minted now expires. */
    public Instant expiryOfNewToken() {
        return clock.instant().plus(LIFETIME);
    }

    private static String encode(Map<String, Object> json) {
        try {
            return B64URL.encodeToString(Json.mapper().writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("claims must be plain JSON values", e);
        }
    }
}
