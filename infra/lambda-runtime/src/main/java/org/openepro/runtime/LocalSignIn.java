package org.openepro.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.openepro.core.http.Caller;
import org.openepro.core.json.Json;

/**
 * The local runtime's stand-in for the staff console's identity provider: an authorization endpoint
 * that asks which staff member, role and studies to sign in as, and a token endpoint that redeems
 * the code (OAuth 2.0 authorization code with PKCE, S256 only) for a local access token. It exists
 * only in {@code make run}: the deployed stack signs staff in with Cognito or the configured issuer.
 */
public final class LocalSignIn {
    public static final String AUTHORIZE_PATH = "/console/local-sign-in";
    public static final String TOKEN_PATH = "/console/local-token";
    public static final String CLIENT_ID = "local-console";
    static final Duration CODE_LIFETIME = Duration.ofMinutes(2);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final List<String> ROLES = List.of("research-nurse", "data-manager", "monitor");

    private final LocalTokens tokens;
    private final Clock clock;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    public LocalSignIn(LocalTokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /** What one code was issued for; redeemed once, within {@link #CODE_LIFETIME}. */
    private record Grant(
            String challenge,
            String redirectUri,
            String staffId,
            List<String> studies,
            List<String> roles,
            Instant expiresAt) {}

    /**
     * The stand-ins for the console settings a deployed stack takes from Cognito: the local stack leaves
     * them empty (it creates no user pool), and the staff API's console settings point here instead.
     */
    static final Map<String, String> STAND_INS = Map.of(
            "CONSOLE_ISSUER", LocalTokens.ISSUER,
            "CONSOLE_CLIENT_ID", CLIENT_ID,
            "CONSOLE_AUTHORIZATION_ENDPOINT", AUTHORIZE_PATH,
            "CONSOLE_TOKEN_ENDPOINT", TOKEN_PATH);

    /** A function's environment with the stand-ins in place of the values the local stack left empty. */
    public static Map<String, String> withStandIns(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>(env);
        STAND_INS.forEach((name, value) -> out.computeIfPresent(name, (k, v) -> v.isEmpty() ? value : v));
        return out;
    }

    public boolean handles(String rawPath) {
        return AUTHORIZE_PATH.equals(rawPath) || TOKEN_PATH.equals(rawPath);
    }

    public HttpEvents.Reply serve(HttpEvents.RawRequest request) {
        if (AUTHORIZE_PATH.equals(request.rawPath()) && "GET".equals(request.method())) {
            return form(query(request.rawQuery()), request);
        }
        if (AUTHORIZE_PATH.equals(request.rawPath()) && "POST".equals(request.method())) {
            return authorize(query(new String(request.body(), StandardCharsets.UTF_8)), request);
        }
        if (TOKEN_PATH.equals(request.rawPath()) && "POST".equals(request.method())) {
            return token(query(new String(request.body(), StandardCharsets.UTF_8)));
        }
        return text(405, "Method not allowed");
    }

    /** The sign-in page: the request's parameters carried through, and who to sign in as. */
    private HttpEvents.Reply form(Map<String, String> p, HttpEvents.RawRequest request) {
        String refusal = refusal(p, request);
        if (refusal != null) {
            return text(400, refusal);
        }
        StringBuilder hidden = new StringBuilder();
        for (String name : List.of(
                "response_type",
                "client_id",
                "redirect_uri",
                "state",
                "code_challenge",
                "code_challenge_method",
                "scope")) {
            hidden.append("<input type=\"hidden\" name=\"")
                    .append(name)
                    .append("\" value=\"")
                    .append(escape(p.getOrDefault(name, "")))
                    .append("\">\n");
        }
        StringBuilder roles = new StringBuilder();
        for (String role : ROLES) {
            roles.append("<option value=\"")
                    .append(role)
                    .append("\">")
                    .append(role)
                    .append("</option>");
        }
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Local sign-in — OpenEPRO</title>
                <style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}
                label{display:block;font-weight:600;margin-top:1rem}input,select{font:inherit;padding:.4rem;min-height:2.5rem;width:100%%}
                .check{display:flex;gap:.5rem;align-items:center;margin-top:1rem}.check input{width:auto}
                button{font:inherit;margin-top:1.5rem;padding:.5rem 1.2rem;background:#1a4f8b;color:#fff;border:0;border-radius:4px}
                .note{background:#fff8e1;padding:.75rem;border-radius:4px}</style></head>
                <body><main>
                <h1>Local sign-in</h1>
                <p class="note">This page exists only in <code>make run</code>. A deployed stack signs staff in with its
                Cognito user pool or the configured OpenID issuer.</p>
                <form method="post" action="%s">
                %s
                <label for="staff">Staff id (pseudonymous, recorded in the audit trail)</label>
                <input id="staff" name="staff" value="nurse-1" required pattern="[A-Za-z0-9._-]{1,64}">
                <label for="role">Role</label>
                <select id="role" name="role">%s</select>
                <label for="studies">Studies (space-separated)</label>
                <input id="studies" name="studies" value="STUDY-DEMO" required>
                <div class="check"><input type="checkbox" id="identified" name="identified" value="1">
                <label for="identified" style="margin:0">May export identified data (role export-identified)</label></div>
                <button type="submit">Sign in</button>
                </form></main></body></html>
                """.formatted(AUTHORIZE_PATH, hidden, roles);
        return new HttpEvents.Reply(
                200,
                headers(
                        "text/html; charset=utf-8",
                        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
                html.getBytes(StandardCharsets.UTF_8));
    }

    /** The form was sent: a one-time code back to the console, as an authorization server does. */
    private HttpEvents.Reply authorize(Map<String, String> p, HttpEvents.RawRequest request) {
        String refusal = refusal(p, request);
        if (refusal != null) {
            return text(400, refusal);
        }
        String staff = p.getOrDefault("staff", "");
        List<String> studies = new ArrayList<>();
        for (String s : p.getOrDefault("studies", "").split("[,\\s]+")) {
            if (!s.isBlank()) {
                studies.add(s.strip());
            }
        }
        String role = p.getOrDefault("role", "");
        if (!ID.matcher(staff).matches()
                || studies.isEmpty()
                || !studies.stream().allMatch(s -> ID.matcher(s).matches())
                || !ROLES.contains(role)) {
            return text(400, "Give a staff id, one of the roles and at least one study id (letters, digits, . _ -).");
        }
        List<String> roles = new ArrayList<>(List.of(role));
        if ("1".equals(p.get("identified"))) {
            roles.add("export-identified");
        }
        String code = random();
        codes.put(
                code,
                new Grant(
                        p.get("code_challenge"),
                        p.get("redirect_uri"),
                        staff,
                        List.copyOf(studies),
                        List.copyOf(roles),
                        clock.instant().plus(CODE_LIFETIME)));
        String location = p.get("redirect_uri") + (p.get("redirect_uri").contains("?") ? "&" : "?") + "code="
                + enc(code) + "&state=" + enc(p.getOrDefault("state", ""));
        return new HttpEvents.Reply(
                302, List.of(Map.entry("location", location), Map.entry("cache-control", "no-store")), new byte[0]);
    }

    /** RFC 6749 section 4.1.3 with RFC 7636's verifier check; errors as RFC 6749 section 5.2 has them. */
    private HttpEvents.Reply token(Map<String, String> p) {
        if (!"authorization_code".equals(p.get("grant_type"))) {
            return oauthError("unsupported_grant_type");
        }
        if (!CLIENT_ID.equals(p.get("client_id"))) {
            return oauthError("invalid_client");
        }
        Grant grant = codes.remove(p.getOrDefault("code", ""));
        if (grant == null
                || grant.expiresAt().isBefore(clock.instant())
                || !grant.redirectUri().equals(p.get("redirect_uri"))
                || !grant.challenge().equals(s256(p.getOrDefault("code_verifier", "")))) {
            return oauthError("invalid_grant");
        }
        Map<String, Object> claims = tokens.standardClaims(Caller.SCOPE_EXPORT + " " + Caller.SCOPE_ALERTS);
        claims.put("sub", grant.staffId());
        claims.put("studies", grant.studies());
        claims.put("roles", grant.roles());
        claims.put("client_id", CLIENT_ID);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", tokens.sign(claims));
        body.put("token_type", "Bearer");
        body.put("expires_in", LocalTokens.LIFETIME.toSeconds());
        body.put("scope", "openid " + Caller.SCOPE_ALERTS + " " + Caller.SCOPE_EXPORT);
        return new HttpEvents.Reply(
                200,
                List.of(Map.entry("content-type", "application/json"), Map.entry("cache-control", "no-store")),
                json(body));
    }

    /** Why an authorization request is refused, or null: only this client, S256, and a redirect to this console. */
    private static String refusal(Map<String, String> p, HttpEvents.RawRequest request) {
        if (!"code".equals(p.get("response_type"))) {
            return "response_type must be code.";
        }
        if (!CLIENT_ID.equals(p.get("client_id"))) {
            return "Unknown client_id.";
        }
        if (!"S256".equals(p.get("code_challenge_method"))
                || !CHALLENGE.matcher(p.getOrDefault("code_challenge", "")).matches()) {
            return "A code_challenge with code_challenge_method S256 is required.";
        }
        String redirect = p.getOrDefault("redirect_uri", "");
        String host = request.firstHeader("host");
        try {
            URI uri = URI.create(redirect);
            if (host == null
                    || !host.equals(uri.getRawAuthority())
                    || uri.getPath() == null
                    || !uri.getPath().startsWith("/console/")
                    || uri.getRawFragment() != null) {
                return "redirect_uri must be this console's own address.";
            }
        } catch (IllegalArgumentException e) {
            return "redirect_uri must be this console's own address.";
        }
        return null;
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(name, value);
        }
        return out;
    }

    private static HttpEvents.Reply oauthError(String error) {
        return new HttpEvents.Reply(
                400,
                List.of(Map.entry("content-type", "application/json"), Map.entry("cache-control", "no-store")),
                json(Map.of("error", error)));
    }

    private static HttpEvents.Reply text(int status, String message) {
        return new HttpEvents.Reply(
                status,
                headers("text/plain; charset=utf-8", "default-src 'none'"),
                message.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map.Entry<String, String>> headers(String contentType, String csp) {
        return List.of(
                Map.entry("content-type", contentType),
                Map.entry("cache-control", "no-store"),
                Map.entry("content-security-policy", csp),
                Map.entry("x-content-type-options", "nosniff"),
                Map.entry("referrer-policy", "no-referrer"),
                Map.entry("x-frame-options", "DENY"));
    }

    private static byte[] json(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings cannot fail to serialise", e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("\"", "&quot;")
                .replace("<", "&lt;")
                .replace(">", "&gt;");
    }
}
