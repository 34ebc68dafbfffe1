package org.openepro.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openepro.core.json.Json;

/**
 * What the code under test wrote, captured apart: the log lines (through {@link Log}) and the EMF
 * metric documents (on System.out, where the EMF library writes them). A JUnit extension: register
 * it on a field ({@code @RegisterExtension final CapturedOutput output = new CapturedOutput();}) and
 * it captures around each test, restoring both afterwards.
 */
public final class CapturedOutput implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @Override
    public void beforeEach(ExtensionContext context) {
        originalOut = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    public String logText() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    /** The one log line whose message is {@code message}; fails unless there is exactly one. */
    public JsonNode onlyLine(String message) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : logText().split("\n")) {
            if (!line.isBlank() && json(line).path("message").asText().equals(message)) {
                lines.add(json(line));
            }
        }
        assertThat(lines).as("log lines %s in %s", message, logText()).hasSize(1);
        return lines.get(0);
    }

    /** The EMF documents written, one a flush. */
    public List<JsonNode> metricDocuments() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("\"_aws\"")) {
                out.add(json(line));
            }
        }
        return out;
    }

    public static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Log.redirect(originalOut);
        System.setOut(originalOut);
    }
}
