package org.openepro.emulator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.openepro.core.json.Json;

/** Reads the real-shape sample events in events/, which also serve local invocation. */
public final class SampleEvents {
    private static final ObjectReader HTTP_EVENT = Json.reader(APIGatewayV2HTTPEvent.class);

    private SampleEvents() {}

    public static Path file(String name) {
        return ProjectPaths.root().resolve("events").resolve(name);
    }

    public static APIGatewayV2HTTPEvent httpApi(String name) {
        try {
            return HTTP_EVENT.readValue(file(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read events/" + name, e);
        }
    }
}
