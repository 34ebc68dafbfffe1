package org.openepro.core.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.config.Env;

/**
 * Where the SDK clients go: the region, and an endpoint override for a local emulator.
 * The override is the SDK's standard {@code AWS_ENDPOINT_URL} setting; on Lambda it is absent.
 * {@code apiCallTimeout} bounds one SDK call, retries included ({@code SDK_API_CALL_TIMEOUT_MS}):
 * a function sets it well below its own Lambda timeout, so a slow dependency ends in the
 * function's own answer (a retryable 503, a batch item failure) rather than in Lambda killing it.
 */
public record AwsSettings(String region, Optional<URI> endpoint, Duration apiCallTimeout) {
    public static final String DEFAULT_REGION = "eu-west-1";
    public static final int DEFAULT_API_CALL_TIMEOUT_MS = 25_000;

    public static AwsSettings fromEnv(Map<String, String> env) {
        String region = Env.optional(env, "AWS_REGION", Env.optional(env, "AWS_DEFAULT_REGION", DEFAULT_REGION));
        String endpoint = env.get("AWS_ENDPOINT_URL");
        int timeoutMs = Env.integer(env, "SDK_API_CALL_TIMEOUT_MS", DEFAULT_API_CALL_TIMEOUT_MS);
        if (timeoutMs < 500) {
            throw new IllegalArgumentException("SDK_API_CALL_TIMEOUT_MS must be at least 500");
        }
        return new AwsSettings(region,
                endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint.trim())),
                Duration.ofMillis(timeoutMs));
    }
}
