package org.openepro.emulator;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local AWS emulator for this JVM: the one named by {@code AWS_ENDPOINT_URL} when set,
 * otherwise a moto server started here (or LocalStack in Docker with {@code -Depro.emulator=localstack}).
 * Whatever this class starts, it stops when the JVM exits, in one shutdown hook that first runs
 * what its users registered with {@link #beforeStop} (the JVM runs separate hooks concurrently,
 * in no order, so a user stopping in its own hook would race the emulator going away).
 */
public final class AwsEmulator {
    public static final String TEST_ACCESS_KEY = "testing";

    private static AwsEmulator shared;

    private final URI endpoint;
    private final AutoCloseable owned;
    private final List<Runnable> beforeStop = new CopyOnWriteArrayList<>();

    private AwsEmulator(URI endpoint, AutoCloseable owned) {
        this.endpoint = endpoint;
        this.owned = owned;
    }

    public static synchronized AwsEmulator shared() {
        if (shared == null) {
            useTestCredentials();
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::shutdown, "aws-emulator-stop"));
        }
        return shared;
    }

    private static AwsEmulator start() {
        String configured = System.getenv("AWS_ENDPOINT_URL");
        if (configured != null && !configured.isBlank()) {
            return new AwsEmulator(URI.create(configured.trim()), null);
        }
        String kind = System.getProperty("epro.emulator", "moto").toLowerCase(Locale.ROOT);
        if (kind.equals("localstack")) {
            LocalStackContainerLauncher launcher = LocalStackContainerLauncher.start();
            return new AwsEmulator(launcher.endpoint(), launcher);
        }
        MotoServer moto = MotoServer.start();
        return new AwsEmulator(moto.endpoint(), moto);
    }

    /** The SDK's default credential chain reads these; an emulator accepts any key. */
    private static void useTestCredentials() {
        if (System.getProperty("aws.accessKeyId") == null && System.getenv("AWS_ACCESS_KEY_ID") == null) {
            System.setProperty("aws.accessKeyId", TEST_ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", TEST_ACCESS_KEY);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Creates a fresh copy of the template's resources under a new stack name. */
    public EmulatedStack deployStack(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return StackDeployer.deploy(endpoint, name, System.getProperty("epro.region", "eu-west-1"));
    }

    /**
     * Runs {@code task} when the JVM exits, before this emulator stops (tasks run in the order
     * registered, each to its end): the place for whatever must still reach the emulator while
     * stopping, such as pollers finishing their batches.
     */
    public void beforeStop(Runnable task) {
        beforeStop.add(task);
    }

    private void shutdown() {
        for (Runnable task : beforeStop) {
            try {
                task.run();
            } catch (RuntimeException e) {
                // one user failing to stop must not keep the emulator running (type only: messages can quote data)
                System.err.println(
                        "stopping before the emulator failed: " + e.getClass().getName());
            }
        }
        stop();
    }

    void stop() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                // stopping at JVM exit: nothing more to do
            }
        }
    }
}
