package org.openepro.core.aws;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The one place SDK clients are built. A function creates one instance per container (in its
 * handler's no-arg constructor); each client is built on first use and reused by every invocation
 * the container serves, all over one shared UrlConnection HTTP client.
 *
 * <p>A function's jar carries only the SDK service modules it calls. So this class names a service's
 * types only in the accessor that returns it, and each service's builder code lives in a class of
 * its own ({@link DynamoDbClientFactory}, ...): nothing here loads a service that is never called.
 * (A lambda {@code () -> SnsClient.builder()...} created in a constructor would: linking it resolves
 * its return type, and the handler's init fails with NoClassDefFoundError in a jar without SNS.)
 */
public final class AwsClients implements AutoCloseable {
    private static final AtomicInteger CLIENTS_BUILT = new AtomicInteger();

    private final ClientSetup setup;
    private volatile DynamoDbClient dynamo;
    private volatile SqsClient sqs;
    private volatile SnsClient sns;
    private volatile S3Client s3;
    private volatile S3Presigner presigner;

    public AwsClients(AwsSettings settings) {
        this.setup = new ClientSetup(settings);
    }

    public static AwsClients fromEnv(Map<String, String> env) {
        return new AwsClients(AwsSettings.fromEnv(env));
    }

    public DynamoDbClient dynamo() {
        DynamoDbClient client = dynamo;
        if (client == null) {
            synchronized (this) {
                if (dynamo == null) {
                    dynamo = DynamoDbClientFactory.build(setup);
                    CLIENTS_BUILT.incrementAndGet();
                }
                client = dynamo;
            }
        }
        return client;
    }

    public SqsClient sqs() {
        SqsClient client = sqs;
        if (client == null) {
            synchronized (this) {
                if (sqs == null) {
                    sqs = SqsClientFactory.build(setup);
                    CLIENTS_BUILT.incrementAndGet();
                }
                client = sqs;
            }
        }
        return client;
    }

    public SnsClient sns() {
        SnsClient client = sns;
        if (client == null) {
            synchronized (this) {
                if (sns == null) {
                    sns = SnsClientFactory.build(setup);
                    CLIENTS_BUILT.incrementAndGet();
                }
                client = sns;
            }
        }
        return client;
    }

    public S3Client s3() {
        S3Client client = s3;
        if (client == null) {
            synchronized (this) {
                if (s3 == null) {
                    s3 = S3ClientFactory.client(setup);
                    CLIENTS_BUILT.incrementAndGet();
                }
                client = s3;
            }
        }
        return client;
    }

    public S3Presigner presigner() {
        S3Presigner client = presigner;
        if (client == null) {
            synchronized (this) {
                if (presigner == null) {
                    presigner = S3ClientFactory.presigner(setup);
                    CLIENTS_BUILT.incrementAndGet();
                }
                client = presigner;
            }
        }
        return client;
    }

    public AwsSettings settings() {
        return setup.settings();
    }

    /** How many SDK clients this JVM has built: a warm invocation must not add to it. */
    public static int clientsBuilt() {
        return CLIENTS_BUILT.get();
    }

    /** Closes what was built, and only that: a service never called is never loaded, even here. */
    @Override
    public synchronized void close() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (sns != null) {
            sns.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (presigner != null) {
            presigner.close();
        }
        setup.close();
    }
}
