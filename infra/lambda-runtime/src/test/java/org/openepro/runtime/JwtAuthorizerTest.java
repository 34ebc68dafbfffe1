package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwtAuthorizerTest {
    private static final LocalSigningKey KEY = LocalSigningKey.generate();
    private static final LocalSigningKey OTHER_KEY = LocalSigningKey.generate();
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final List<String> EXPORT = List.of("epro/export");

    private final LocalTokens tokens = new LocalTokens(KEY, CLOCK);
    private final JwtAuthorizer authorizer = JwtAuthorizer.local(KEY, CLOCK);

    @Test
    void allowsAStaffTokenWithTheRouteScopeAndHandsOnItsClaimsAsApiGatewayRendersThem() {
        // GIVEN a staff token for two studies
        String token = tokens.staff(List.of("S1", "S2"), List.of("export-identified"));

        // WHEN it calls an export route
        JwtAuthorizer.Decision decision = authorizer.authorize("Bearer " + token, EXPORT);

        // THEN it passes, with string claims, arrays as [a b], numbers as written, and the token's scopes
        assertThat(decision).isInstanceOf(JwtAuthorizer.Allowed.class);
        JwtAuthorizer.Allowed allowed = (JwtAuthorizer.Allowed) decision;
        assertThat(allowed.claims())
                .containsEntry("studies", "[S1 S2]")
                .containsEntry("roles", "[export-identified]")
                .containsEntry("iss", LocalTokens.ISSUER)
                .containsEntry("aud", LocalTokens.AUDIENCE)
                .containsEntry(
                        "exp", Long.toString(NOW.plus(LocalTokens.LIFETIME).getEpochSecond()))
                .containsEntry("scope", "epro/export epro/alerts")
                .containsKey("sub");
        assertThat(allowed.scopes()).containsExactly("epro/export", "epro/alerts");
    }

    @Test
    void acceptsTheTokenWithoutTheBearerPrefixAsApiGatewayDoes() {
        String token = tokens.patient("S1", "SITE-01", "SUBJ-1");

        assertThat(authorizer.authorize(token, List.of("epro/report.write"))).isInstanceOf(JwtAuthorizer.Allowed.class);
    }

    @Test
    void refusesARequestWithoutAToken() {
        assertUnauthorized(authorizer.authorize(null, EXPORT), "no token");
        assertUnauthorized(authorizer.authorize("Bearer ", EXPORT), "no token");
    }

    @Test
    void refusesSomethingThatIsNotASignedJwt() {
        assertUnauthorized(authorizer.authorize("Bearer abc.def", EXPORT), "not a signed JWT");
        assertUnauthorized(authorizer.authorize("Bearer !!.??.**", EXPORT), "cannot be decoded");
    }

    @Test
    void refusesATokenSignedByAnotherKey() {
        String forged = new LocalTokens(OTHER_KEY, CLOCK).staff(List.of("S1"), List.of());

        assertUnauthorized(authorizer.authorize("Bearer " + forged, EXPORT), "unknown key");
    }

    @Test
    void refusesATokenWhoseClaimsWereChangedAfterSigning() {
        // GIVEN a valid token whose payload is swapped for one naming another study, keeping the signature
        String[] parts = tokens.staff(List.of("S1"), List.of()).split("\\.");
        Map<String, Object> claims = tokens.standardClaims("epro/export");
        claims.put("studies", List.of("S2"));
        String tampered = parts[0] + "." + encode(claims) + "." + parts[2];

        assertUnauthorized(authorizer.authorize("Bearer " + tampered, EXPORT), "signature is invalid");
    }

    @Test
    void refusesAnUnsignedToken() {
        String header = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String none = header + "." + encode(tokens.standardClaims("epro/export")) + ".";

        assertUnauthorized(authorizer.authorize("Bearer " + none, EXPORT), "RS256");
    }

    @Test
    void refusesAnotherIssuer() {
        Map<String, Object> claims = tokens.standardClaims("epro/export");
        claims.put("iss", "https://evil.example");

        assertUnauthorized(authorizer.authorize(tokens.sign(claims), EXPORT), "issuer");
    }

    @Test
    void refusesAnotherAudienceButAcceptsTheAudienceInAListOrAsCognitosClientId() {
        Map<String, Object> wrong = tokens.standardClaims("epro/export");
        wrong.put("aud", "someone-else");
        Map<String, Object> list = tokens.standardClaims("epro/export");
        list.put("aud", List.of("someone-else", LocalTokens.AUDIENCE));
        Map<String, Object> clientId = tokens.standardClaims("epro/export");
        clientId.remove("aud");
        clientId.put("client_id", LocalTokens.AUDIENCE);

        assertUnauthorized(authorizer.authorize(tokens.sign(wrong), EXPORT), "audience");
        assertThat(authorizer.authorize(tokens.sign(list), EXPORT)).isInstanceOf(JwtAuthorizer.Allowed.class);
        assertThat(authorizer.authorize(tokens.sign(clientId), EXPORT)).isInstanceOf(JwtAuthorizer.Allowed.class);
    }

    @Test
    void refusesAnExpiredTokenFromItsExpirySecondOn() {
        Map<String, Object> claims = tokens.standardClaims("epro/export");
        claims.put("exp", NOW.getEpochSecond());
        Map<String, Object> stillValid = tokens.standardClaims("epro/export");
        stillValid.put("exp", NOW.getEpochSecond() + 1);

        assertUnauthorized(authorizer.authorize(tokens.sign(claims), EXPORT), "expired");
        assertThat(authorizer.authorize(tokens.sign(stillValid), EXPORT)).isInstanceOf(JwtAuthorizer.Allowed.class);
    }

    @Test
    void refusesATokenWithoutExpiry() {
        Map<String, Object> claims = tokens.standardClaims("epro/export");
        claims.remove("exp");

        assertUnauthorized(authorizer.authorize(tokens.sign(claims), EXPORT), "no expiry");
    }

    @Test
    void refusesATokenNotValidYet() {
        Map<String, Object> claims = tokens.standardClaims("epro/export");
        claims.put("nbf", NOW.getEpochSecond() + 60);

        assertUnauthorized(authorizer.authorize(tokens.sign(claims), EXPORT), "not valid yet");
    }

    @Test
    void refusesATokenIssuedInTheFuture() {
        Map<String, Object> claims = tokens.standardClaims("epro/export");
        claims.put("iat", NOW.getEpochSecond() + 60);

        assertUnauthorized(authorizer.authorize(tokens.sign(claims), EXPORT), "issued in the future");
    }

    @Test
    void forbidsAValidTokenWithoutAnyOfTheRoutesScopes() {
        // GIVEN a patient's token (report.write only)
        String token = tokens.patient("S1", "SITE-01", "SUBJ-1");

        // WHEN it calls an export route
        JwtAuthorizer.Decision decision = authorizer.authorize("Bearer " + token, EXPORT);

        // THEN 403 Forbidden, as API Gateway answers a missing scope
        assertThat(decision).isInstanceOfSatisfying(JwtAuthorizer.Denied.class, d -> {
            assertThat(d.status()).isEqualTo(403);
            assertThat(d.body()).isEqualTo("{\"message\":\"Forbidden\"}");
            assertThat(d.wwwAuthenticate())
                    .contains("error=\"insufficient_scope\"")
                    .contains("epro/export");
        });
    }

    @Test
    void anyOneOfSeveralRouteScopesIsEnough() {
        String staff = tokens.staff(List.of("S1"), List.of());

        assertThat(authorizer.authorize(staff, List.of("epro/report.write", "epro/alerts")))
                .isInstanceOf(JwtAuthorizer.Allowed.class);
    }

    @Test
    void rendersNestedClaimsLikeApiGateway() {
        Map<String, Object> claims = new LinkedHashMap<>(tokens.standardClaims("epro/export"));
        claims.put("flag", true);
        claims.put("ratio", new java.math.BigDecimal("1.5"));
        claims.put("nested", Map.of("b", 2, "a", List.of("x", "y")));

        JwtAuthorizer.Allowed allowed = (JwtAuthorizer.Allowed) authorizer.authorize(tokens.sign(claims), EXPORT);

        assertThat(allowed.claims())
                .containsEntry("flag", "true")
                .containsEntry("ratio", "1.5")
                .containsEntry("nested", "map[a:[x y] b:2]");
    }

    private static void assertUnauthorized(JwtAuthorizer.Decision decision, String reason) {
        assertThat(decision).isInstanceOfSatisfying(JwtAuthorizer.Denied.class, d -> {
            assertThat(d.status()).isEqualTo(401);
            assertThat(d.body()).isEqualTo("{\"message\":\"Unauthorized\"}");
            assertThat(d.reason()).contains(reason);
            assertThat(d.wwwAuthenticate()).startsWith("Bearer ").contains("error=\"invalid_token\"");
        });
    }

    private static String encode(Map<String, Object> claims) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(org.openepro.core.json.Json.mapper().writeValueAsBytes(claims));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
