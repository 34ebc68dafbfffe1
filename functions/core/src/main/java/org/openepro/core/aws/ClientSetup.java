package org.openepro.core.aws;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * What every service client of one container shares: region, credentials, the one HTTP client and
 * the retry and timeout policy. Service-neutral, so it loads no service module.
 */
final class ClientSetup implements AutoCloseable {
    private final AwsSettings settings;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private volatile SdkHttpClient http;

    ClientSetup(AwsSettings settings) {
        this.settings = settings;
        this.region = Region.of(settings.region());
        this.credentials = provider(settings.credentials());
    }

    private static AwsCredentialsProvider provider(AwsSettings.CredentialSource source) {
        return switch (source) {
            case AwsSettings.CredentialSource.Keys k ->
                StaticCredentialsProvider.create(k.sessionToken()
                        .<AwsCredentials>map(
                                token -> AwsSessionCredentials.create(k.accessKeyId(), k.secretAccessKey(), token))
                        .orElseGet(() -> AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey())));
            // SnapStart functions get no keys in the environment (they would be frozen into the snapshot):
            // the container endpoint serves fresh ones after every restore
            case AwsSettings.CredentialSource.Container c ->
                ContainerCredentialsProvider.builder().build();
            case AwsSettings.CredentialSource.DefaultChain d ->
                DefaultCredentialsProvider.builder().build();
        };
    }

    AwsSettings settings() {
        return settings;
    }

    Region region() {
        return region;
    }

    AwsCredentialsProvider credentials() {
        return credentials;
    }

    boolean emulated() {
        return settings.endpoint().isPresent();
    }

    /** Region, credentials, the shared HTTP client, retries, timeout and endpoint on a sync client builder. */
    <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClient(http())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(settings.apiCallTimeout())
                        .build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    private SdkHttpClient http() {
        SdkHttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = UrlConnectionHttpClient.builder()
                            .connectionTimeout(Duration.ofSeconds(2))
                            .socketTimeout(Duration.ofSeconds(20))
                            .build();
                }
                client = http;
            }
        }
        return client;
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close();
        }
    }
}
