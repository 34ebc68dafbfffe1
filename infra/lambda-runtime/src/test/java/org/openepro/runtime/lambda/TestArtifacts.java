package org.openepro.runtime.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.joda.time.DateTime;
import org.openepro.runtime.testing.Witness;

/**
 * Test-only: artifacts of the test handlers laid out as {@code sam build} lays out a function's
 * (a task root per function with {@code lib/*.jar}): the compiled handlers of
 * {@code org.openepro.runtime.testing} in the task root itself, which the runtime client puts on the
 * function's classpath as Lambda does for /var/task, and the libraries they need in {@code lib/}.
 */
public final class TestArtifacts {
    /** What the test handlers load beyond the JDK and the runtime: events, Jackson for their witness lines, joda-time for the runtime's event serializer. */
    private static final List<Class<?>> LIBRARIES =
            List.of(SQSEvent.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class, DateTime.class);

    private TestArtifacts() {}

    /** A folder with one task root per function id, each holding the test handlers. */
    public static Path build(Path root, String... functionIds) {
        try {
            Path classes = location(Witness.class);
            Path handlers = classes.resolve("org/openepro/runtime/testing");
            for (String id : functionIds) {
                Path taskRoot = root.resolve(id);
                Path target = taskRoot.resolve("org/openepro/runtime/testing");
                Files.createDirectories(target);
                try (Stream<Path> files = Files.list(handlers)) {
                    for (Path f : files.toList()) {
                        Files.copy(f, target.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                Path lib = Files.createDirectories(taskRoot.resolve("lib"));
                for (Class<?> type : LIBRARIES) {
                    Path jar = location(type);
                    Files.copy(jar, lib.resolve(jar.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
