package org.openepro.core.aws;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.openepro.core.config.Env;

/**
 * Where the SDK clients go: the region, and an endpoint override for a local emulator.
 * The override is the SDK's standard {@code AWS_ENDPOINT_URL} setting; on Lambda it is absent.
 */
public record AwsSettings(String region, Optional<URI> endpoint) {
    public static final String DEFAULT_REGION = "eu-west-1";

    public static AwsSettings fromEnv(Map<String, String> env) {
        String region = Env.optional(env, "AWS_REGION", Env.optional(env, "AWS_DEFAULT_REGION", DEFAULT_REGION));
        String endpoint = env.get("AWS_ENDPOINT_URL");
        return new AwsSettings(region,
                endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint.trim())));
    }
}
