package org.openepro.core.aws;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place SDK clients are built. A function creates one instance per container (in its
 * handler's no-arg constructor) and every client is built on first use, then reused by every
 * invocation the container serves. All clients share one UrlConnection HTTP client.
 */
public final class AwsClients implements AutoCloseable {
    private static final AtomicInteger CLIENTS_BUILT = new AtomicInteger();

    private final AwsSettings settings;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Lazy<SdkHttpClient> http;
    private final Lazy<DynamoDbClient> dynamo;
    private final Lazy<SqsClient> sqs;
    private final Lazy<SnsClient> sns;
    private final Lazy<S3Client> s3;
    private final Lazy<S3Presigner> presigner;

    public AwsClients(AwsSettings settings) {
        this.settings = settings;
        this.region = Region.of(settings.region());
        this.credentials = DefaultCredentialsProvider.builder().build();
        this.http = new Lazy<>(() -> UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(20))
                .build());
        this.dynamo = new Lazy<>(() -> configure(DynamoDbClient.builder()).build());
        this.sqs = new Lazy<>(() -> configure(SqsClient.builder()).build());
        this.sns = new Lazy<>(() -> configure(SnsClient.builder()).build());
        this.s3 = new Lazy<>(() -> configure(S3Client.builder())
                .forcePathStyle(settings.endpoint().isPresent())
                .build());
        this.presigner = new Lazy<>(() -> {
            S3Presigner.Builder builder = S3Presigner.builder()
                    .region(region)
                    .credentialsProvider(credentials)
                    .serviceConfiguration(S3Configuration.builder()
                            .pathStyleAccessEnabled(settings.endpoint().isPresent())
                            .build());
            settings.endpoint().ifPresent(builder::endpointOverride);
            CLIENTS_BUILT.incrementAndGet();
            return builder.build();
        });
    }

    public static AwsClients fromEnv(Map<String, String> env) {
        return new AwsClients(AwsSettings.fromEnv(env));
    }

    public DynamoDbClient dynamo() {
        return dynamo.get();
    }

    public SqsClient sqs() {
        return sqs.get();
    }

    public SnsClient sns() {
        return sns.get();
    }

    public S3Client s3() {
        return s3.get();
    }

    public S3Presigner presigner() {
        return presigner.get();
    }

    public AwsSettings settings() {
        return settings;
    }

    /** How many SDK clients this JVM has built: a warm invocation must not add to it. */
    public static int clientsBuilt() {
        return CLIENTS_BUILT.get();
    }

    private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(B builder) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClient(http.get())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(settings.apiCallTimeout())
                        .build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        CLIENTS_BUILT.incrementAndGet();
        return builder;
    }

    @Override
    public void close() {
        dynamo.ifBuilt(DynamoDbClient::close);
        sqs.ifBuilt(SqsClient::close);
        sns.ifBuilt(SnsClient::close);
        s3.ifBuilt(S3Client::close);
        presigner.ifBuilt(S3Presigner::close);
        http.ifBuilt(SdkHttpClient::close);
    }

    /** Thread-safe build-once holder. */
    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = factory.get();
                        value = v;
                    }
                }
            }
            return v;
        }

        void ifBuilt(java.util.function.Consumer<T> action) {
            T v = value;
            if (v != null) {
                action.accept(v);
            }
        }
    }
}
