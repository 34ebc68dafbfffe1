package org.openepro.staff;

import java.util.List;
import java.util.Map;
import org.openepro.core.config.Env;

/**
 * What the console needs to sign staff in, so that one build serves every stack: the OpenID issuer,
 * the staff app client, and (when the issuer has no discovery document the browser may read, as
 * with Cognito's hosted UI domain) the authorization and token endpoints. Empty endpoints tell the
 * console to read {@code issuer/.well-known/openid-configuration}. {@code apiUrl} empty: the API
 * that served the settings.
 */
public record ConsoleSettings(
        String issuer,
        String clientId,
        String authorizationEndpoint,
        String tokenEndpoint,
        String apiUrl,
        List<String> scopes) {
    public ConsoleSettings {
        scopes = List.copyOf(scopes);
    }

    static ConsoleSettings fromEnv(Map<String, String> env) {
        return new ConsoleSettings(
                Env.optional(env, "CONSOLE_ISSUER", ""),
                Env.optional(env, "CONSOLE_CLIENT_ID", ""),
                Env.optional(env, "CONSOLE_AUTHORIZATION_ENDPOINT", ""),
                Env.optional(env, "CONSOLE_TOKEN_ENDPOINT", ""),
                Env.optional(env, "CONSOLE_API_URL", ""),
                List.of(Env.optional(env, "CONSOLE_SCOPES", "openid epro/alerts epro/export")
                        .trim()
                        .split("\\s+")));
    }

    /** The settings as served: {@code apiUrl} falls back to the address the request came to. */
    ConsoleSettings servedFrom(String requestOrigin) {
        return apiUrl.isBlank()
                ? new ConsoleSettings(issuer, clientId, authorizationEndpoint, tokenEndpoint, requestOrigin, scopes)
                : this;
    }
}
