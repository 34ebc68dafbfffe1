package org.openepro.core.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.config.Env;

/**
 * Where the SDK clients go and as whom: the region, an endpoint override for a local emulator
 * (the SDK's standard {@code AWS_ENDPOINT_URL}; absent on Lambda), the per-call timeout, and the
 * credentials the environment names. {@code apiCallTimeout} bounds one SDK call, retries included
 * ({@code SDK_API_CALL_TIMEOUT_MS}): a function sets it well below its own Lambda timeout, so a slow
 * dependency ends in the function's own answer (a retryable 503, a batch item failure) rather than in
 * Lambda killing it.
 */
public record AwsSettings(
        String region, Optional<URI> endpoint, Duration apiCallTimeout, CredentialSource credentials) {
    public static final String DEFAULT_REGION = "eu-west-1";
    public static final int DEFAULT_API_CALL_TIMEOUT_MS = 25_000;

    /**
     * Where credentials come from, decided once from the environment instead of by the SDK's
     * provider chain probing profiles, system properties and instance metadata at first call.
     */
    public sealed interface CredentialSource {
        /** Keys in the environment: what Lambda sets for a function's role (and the local runtime per function). */
        record Keys(String accessKeyId, String secretAccessKey, Optional<String> sessionToken)
                implements CredentialSource {
            @Override
            public String toString() {
                return "Keys[" + accessKeyId + "]"; // never the secret or the token
            }
        }

        /** The container credentials endpoint: what Lambda gives SnapStart functions instead of keys. */
        record Container() implements CredentialSource {}

        /** Neither: the SDK's default chain (tests and tools that set system properties or a profile). */
        record DefaultChain() implements CredentialSource {}
    }

    public static AwsSettings fromEnv(Map<String, String> env) {
        String region = Env.optional(env, "AWS_REGION", Env.optional(env, "AWS_DEFAULT_REGION", DEFAULT_REGION));
        String endpoint = env.get("AWS_ENDPOINT_URL");
        int timeoutMs = Env.integer(env, "SDK_API_CALL_TIMEOUT_MS", DEFAULT_API_CALL_TIMEOUT_MS);
        if (timeoutMs < 500) {
            throw new IllegalArgumentException("SDK_API_CALL_TIMEOUT_MS must be at least 500");
        }
        return new AwsSettings(
                region,
                endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint.trim())),
                Duration.ofMillis(timeoutMs),
                credentialSource(env));
    }

    static CredentialSource credentialSource(Map<String, String> env) {
        String key = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (key != null && !key.isBlank() && secret != null && !secret.isBlank()) {
            String token = env.get("AWS_SESSION_TOKEN");
            return new CredentialSource.Keys(
                    key, secret, token == null || token.isBlank() ? Optional.empty() : Optional.of(token));
        }
        if (present(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI")
                || present(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
            return new CredentialSource.Container();
        }
        return new CredentialSource.DefaultChain();
    }

    private static boolean present(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }
}
