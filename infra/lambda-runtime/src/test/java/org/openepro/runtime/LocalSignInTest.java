package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openepro.core.json.Json;

class LocalSignInTest {
    private static final LocalSigningKey KEY = LocalSigningKey.generate();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T09:00:00Z"), ZoneOffset.UTC);
    private static final String HOST = "127.0.0.1:3000";
    private static final String REDIRECT = "http://127.0.0.1:3000/console/";
    // RFC 7636 appendix B
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private final LocalSignIn signIn = new LocalSignIn(new LocalTokens(KEY, CLOCK), CLOCK);
    private final JwtAuthorizer authorizer = JwtAuthorizer.local(KEY, CLOCK);

    @Test
    void aCodeForTheChosenStaffRoleAndStudiesRedeemsOnceForATokenTheAuthorizerAccepts() throws Exception {
        // GIVEN the console's authorization request, and the form sent as nurse-7 of two studies
        assertThat(signIn.serve(get(authorizeQuery(REDIRECT))).status()).isEqualTo(200);
        HttpEvents.Reply redirect = signIn.serve(post(
                LocalSignIn.AUTHORIZE_PATH,
                authorizeQuery(REDIRECT) + "&staff=nurse-7&role=research-nurse&studies=STUDY-DEMO+STUDY-2"));

        // THEN the browser goes back to the console with a code and the state
        assertThat(redirect.status()).isEqualTo(302);
        URI back = URI.create(header(redirect, "location"));
        Map<String, String> params = LocalSignIn.query(back.getRawQuery());
        assertThat(back.getPath()).isEqualTo("/console/");
        assertThat(params).containsEntry("state", "st-1").containsKey("code");

        // WHEN the console redeems the code with its verifier
        HttpEvents.Reply token = signIn.serve(post(LocalSignIn.TOKEN_PATH, tokenForm(params.get("code"), VERIFIER)));

        // THEN a bearer token for exactly that staff member, role and studies
        assertThat(token.status()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(token.body());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        var decision = authorizer.authorize("Bearer " + body.get("access_token").asText(), List.of("epro/alerts"));
        assertThat(decision).isInstanceOf(JwtAuthorizer.Allowed.class);
        assertThat(((JwtAuthorizer.Allowed) decision).claims())
                .containsEntry("sub", "nurse-7")
                .containsEntry("studies", "[STUDY-DEMO STUDY-2]")
                .containsEntry("roles", "[research-nurse]");
        // AND the code is spent
        assertThat(signIn.serve(post(LocalSignIn.TOKEN_PATH, tokenForm(params.get("code"), VERIFIER)))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aCodeRedeemedWithTheWrongVerifierGivesNoToken() throws Exception {
        HttpEvents.Reply redirect = signIn.serve(post(
                LocalSignIn.AUTHORIZE_PATH,
                authorizeQuery(REDIRECT) + "&staff=nurse-7&role=research-nurse&studies=STUDY-DEMO"));
        String code = LocalSignIn.query(URI.create(header(redirect, "location")).getRawQuery())
                .get("code");

        HttpEvents.Reply token = signIn.serve(post(LocalSignIn.TOKEN_PATH, tokenForm(code, "x".repeat(43))));

        assertThat(token.status()).isEqualTo(400);
        assertThat(Json.mapper().readTree(token.body()).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(new String(token.body(), StandardCharsets.UTF_8)).doesNotContain("access_token");
    }

    @Test
    void onlyThisConsoleMayBeTheRedirectAndOnlyS256IsAccepted() {
        assertThat(signIn.serve(get(authorizeQuery("https://evil.example/console/")))
                        .status())
                .isEqualTo(400);
        assertThat(signIn.serve(get(authorizeQuery("http://127.0.0.1:3000/elsewhere")))
                        .status())
                .isEqualTo(400);
        assertThat(signIn.serve(get(authorizeQuery(REDIRECT).replace("S256", "plain")))
                        .status())
                .isEqualTo(400);
        assertThat(signIn.serve(get(authorizeQuery(REDIRECT).replace("local-console", "other")))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void theSiteServesTheBuiltConsoleWithItsSecurityHeadersAndNothingOutsideIt(@TempDir Path dist) throws Exception {
        Files.writeString(dist.resolve("index.html"), "<!doctype html><title>console</title>");
        Files.createDirectories(dist.resolve("assets"));
        Files.writeString(dist.resolve("assets/index-abc.js"), "console.log(1)");
        Files.writeString(dist.getParent().resolve("secret.txt"), "not served");
        ConsoleSite site = new ConsoleSite(dist, signIn);

        HttpEvents.Reply page = site.serve(request("GET", "/console/", null, ""));
        assertThat(page.status()).isEqualTo(200);
        assertThat(header(page, "content-type")).startsWith("text/html");
        assertThat(header(page, "content-security-policy"))
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(header(page, "cache-control")).isEqualTo("no-cache");
        HttpEvents.Reply script = site.serve(request("GET", "/console/assets/index-abc.js", null, ""));
        assertThat(header(script, "content-type")).startsWith("text/javascript");
        assertThat(header(script, "cache-control")).contains("immutable");
        assertThat(site.serve(request("GET", "/console/../secret.txt", null, ""))
                        .status())
                .isEqualTo(404);
        assertThat(site.serve(request("GET", "/console/%2e%2e/secret.txt", null, ""))
                        .status())
                .isEqualTo(404);
        assertThat(site.serve(request("POST", "/console/", null, "")).status()).isEqualTo(405);
        assertThat(site.handles("/v1/reports")).isFalse();
        assertThat(site.serve(request("GET", LocalSignIn.AUTHORIZE_PATH, authorizeQuery(REDIRECT), ""))
                        .status())
                .isEqualTo(200);
    }

    private static String authorizeQuery(String redirect) {
        return "response_type=code&client_id=local-console&redirect_uri="
                + URLEncoder.encode(redirect, StandardCharsets.UTF_8) + "&state=st-1&code_challenge=" + CHALLENGE
                + "&code_challenge_method=S256&scope=openid";
    }

    private static String tokenForm(String code, String verifier) {
        return "grant_type=authorization_code&client_id=local-console&code="
                + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&code_verifier=" + verifier;
    }

    private static HttpEvents.RawRequest get(String query) {
        return request("GET", LocalSignIn.AUTHORIZE_PATH, query, "");
    }

    private static HttpEvents.RawRequest post(String path, String form) {
        return request("POST", path, null, form);
    }

    private static HttpEvents.RawRequest request(String method, String path, String query, String body) {
        return new HttpEvents.RawRequest(
                method,
                path,
                query,
                Map.of("Host", List.of(HOST), "Content-Type", List.of("application/x-www-form-urlencoded")),
                body.getBytes(StandardCharsets.UTF_8),
                "127.0.0.1",
                "HTTP/1.1");
    }

    private static String header(HttpEvents.Reply reply, String name) {
        return reply.headers().stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }
}
