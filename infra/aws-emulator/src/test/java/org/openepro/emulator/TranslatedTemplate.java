package org.openepro.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * template.yaml as CloudFormation would deploy it with given parameters: translated by the SAM translator,
 * conditions decided, each Fn::If replaced by its branch, AWS::NoValue removed, parameter Refs replaced by
 * their values (infra/scripts/translate_template.py). Resource Refs read as {"Ref": "X"}.
 */
final class TranslatedTemplate {
    private static final Map<Map<String, String>, TranslatedTemplate> CACHE = new ConcurrentHashMap<>();
    private final JsonNode root;

    private TranslatedTemplate(JsonNode root) {
        this.root = root;
    }

    /** With every parameter at its default. */
    static TranslatedTemplate withDefaults() {
        return with(Map.of());
    }

    static TranslatedTemplate with(Map<String, String> parameters) {
        return CACHE.computeIfAbsent(new TreeMap<>(parameters), TranslatedTemplate::translate);
    }

    private static TranslatedTemplate translate(Map<String, String> parameters) {
        try {
            JsonNode answer = Translator.INSTANCE.resolve(parameters);
            if (answer.has("error")) {
                throw new IllegalStateException("translating template.yaml with " + parameters + ": "
                        + answer.path("error").asText());
            }
            return new TranslatedTemplate(answer);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "translating template.yaml with " + parameters + " failed; see " + Translator.INSTANCE.errors, e);
        }
    }

    /** One translate_template.py --serve process for the whole test run: the SAM translator loads once. */
    private static final class Translator {
        static final Translator INSTANCE = new Translator();
        private static final ObjectMapper JSON = new ObjectMapper();
        private final Process process;
        private final BufferedWriter requests;
        private final BufferedReader answers;
        final Path errors;

        private Translator() {
            Path root = ProjectPaths.root();
            try {
                errors = Files.createTempFile("translate-template-", ".err");
                process = new ProcessBuilder(
                                ProjectPaths.venvBin("python").toString(),
                                root.resolve("infra/scripts/translate_template.py")
                                        .toString(),
                                "--template",
                                ProjectPaths.template().toString(),
                                "--region",
                                "eu-west-1",
                                "--serve")
                        .directory(root.toFile())
                        .redirectError(errors.toFile())
                        .start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run infra/scripts/translate_template.py", e);
            }
            requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            // it ends when its stdin closes; this is for a JVM that exits without closing it
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
        }

        synchronized JsonNode resolve(Map<String, String> parameters) throws IOException {
            requests.write(JSON.writeValueAsString(parameters));
            requests.newLine();
            requests.flush();
            String line = answers.readLine();
            if (line == null) {
                throw new IOException("translate_template.py ended: "
                        + Files.readString(errors).strip());
            }
            return JSON.readTree(line);
        }
    }

    JsonNode root() {
        return root;
    }

    boolean has(String logicalId) {
        return root.path("Resources").has(logicalId);
    }

    JsonNode resource(String logicalId) {
        JsonNode resource = root.path("Resources").path(logicalId);
        if (resource.isMissingNode()) {
            throw new AssertionError("the translated template has no resource " + logicalId);
        }
        return resource;
    }

    JsonNode properties(String logicalId) {
        return resource(logicalId).path("Properties");
    }

    /** Every resource of a type, by logical id in template order. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        root.path("Resources").properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** The function a reference names, through the alias SAM points event sources at (AutoPublishAlias). */
    String function(JsonNode reference) {
        String id = target(reference);
        JsonNode resource = resource(id);
        return "AWS::Lambda::Alias".equals(resource.path("Type").asText())
                ? target(resource.path("Properties").path("FunctionName"))
                : id;
    }

    /** The logical id a {"Ref": X} or {"Fn::GetAtt": [X, attr]} names, or null when it is neither. */
    static String target(JsonNode reference) {
        if (reference.has("Ref")) {
            return reference.path("Ref").asText();
        }
        if (reference.has("Fn::GetAtt")) {
            JsonNode getAtt = reference.path("Fn::GetAtt");
            return getAtt.isArray() ? getAtt.get(0).asText() : getAtt.asText().split("\\.")[0];
        }
        return null;
    }
}
