package org.openepro.emulator;

import java.net.URI;

/**
 * Optional emulator for developers with Docker: LocalStack through Testcontainers, image pinned
 * to the last tag that needs no auth token. Reached by reflection so the default build (moto,
 * no Docker) carries no Testcontainers; the {@code localstack} Maven profile adds it.
 */
final class LocalStackContainerLauncher implements AutoCloseable {
    static final String IMAGE = "localstack/localstack:4.14.0";

    private final Object container;
    private final URI endpoint;

    private LocalStackContainerLauncher(Object container, URI endpoint) {
        this.container = container;
        this.endpoint = endpoint;
    }

    static LocalStackContainerLauncher start() {
        try {
            Class<?> imageName = Class.forName("org.testcontainers.utility.DockerImageName");
            Object image = imageName.getMethod("parse", String.class).invoke(null, IMAGE);
            Class<?> type = Class.forName("org.testcontainers.localstack.LocalStackContainer");
            Object container = type.getConstructor(imageName).newInstance(image);
            type.getMethod("start").invoke(container);
            URI endpoint = (URI) type.getMethod("getEndpoint").invoke(container);
            return new LocalStackContainerLauncher(container, endpoint);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("LocalStack needs the Maven profile: ./mvnw verify -Plocalstack", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start " + IMAGE + " (is Docker running?)", e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        container.getClass().getMethod("stop").invoke(container);
    }
}
