package org.openepro.core.questionnaire;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.openepro.core.http.Problem;
import org.openepro.core.json.Json;

/**
 * Every questionnaire the backend knows, by canonical {@code url|version} and by resource id.
 * Loaded once per container from the FHIR resources packaged in core
 * ({@code questionnaires/index.json}); immutable and thread-safe.
 */
public final class QuestionnaireRegistry {
    private static final String INDEX = "questionnaires/index.json";
    private static final AtomicInteger LOADS = new AtomicInteger();

    private final Map<String, QuestionnaireDefinition> byCanonical;
    private final Map<String, QuestionnaireDefinition> latestById;

    private QuestionnaireRegistry(List<QuestionnaireDefinition> definitions) {
        Map<String, QuestionnaireDefinition> canonical = new LinkedHashMap<>();
        Map<String, QuestionnaireDefinition> latest = new LinkedHashMap<>();
        for (QuestionnaireDefinition d : definitions) {
            if (canonical.put(d.canonical(), d) != null) {
                throw new IllegalStateException("questionnaire " + d.canonical() + " is packaged twice");
            }
            latest.merge(d.id(), d, (a, b) -> compareVersions(a.version(), b.version()) >= 0 ? a : b);
        }
        this.byCanonical = Collections.unmodifiableMap(canonical);
        this.latestById = Collections.unmodifiableMap(latest);
    }

    /** The questionnaires packaged with this build. */
    public static QuestionnaireRegistry load() {
        LOADS.incrementAndGet();
        ClassLoader loader = QuestionnaireRegistry.class.getClassLoader();
        try {
            JsonNode index = Json.mapper().readTree(resource(loader, INDEX));
            List<QuestionnaireDefinition> definitions = new ArrayList<>();
            for (JsonNode path : index.path("questionnaires")) {
                byte[] raw = resource(loader, "questionnaires/" + path.asText());
                QuestionnaireReader.Result read = QuestionnaireReader.read(raw);
                if (!read.ok()) {
                    // a packaged instrument outside the subset is a build defect, never something to serve
                    throw new IllegalStateException(
                            "packaged questionnaire " + path.asText() + " is refused: " + describe(read.issues()));
                }
                definitions.add(read.definition());
            }
            return new QuestionnaireRegistry(definitions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the packaged questionnaires", e);
        }
    }

    /** For tests: a registry of the given definitions. */
    public static QuestionnaireRegistry of(List<QuestionnaireDefinition> definitions) {
        return new QuestionnaireRegistry(definitions);
    }

    /**
     * Parses one FHIR Questionnaire resource (for tests and tools).
     *
     * @throws IllegalArgumentException listing every issue when it is outside the subset
     */
    public static QuestionnaireDefinition parse(byte[] fhirJson) {
        QuestionnaireReader.Result read = QuestionnaireReader.read(fhirJson);
        if (!read.ok()) {
            throw new IllegalArgumentException(describe(read.issues()));
        }
        return read.definition();
    }

    static String describe(List<Problem.FieldError> issues) {
        StringBuilder b = new StringBuilder();
        for (var i : issues) {
            b.append(b.isEmpty() ? "" : "; ")
                    .append(i.pointer())
                    .append(' ')
                    .append(i.code())
                    .append(i.linkId() == null ? "" : " [" + i.linkId() + "]")
                    .append(": ")
                    .append(i.detail());
        }
        return b.toString();
    }

    public Optional<QuestionnaireDefinition> byCanonical(String canonical) {
        return Optional.ofNullable(byCanonical.get(canonical));
    }

    /** The newest version of the questionnaire with this resource id. */
    public Optional<QuestionnaireDefinition> latest(String id) {
        return Optional.ofNullable(latestById.get(id));
    }

    public List<QuestionnaireDefinition> all() {
        return List.copyOf(byCanonical.values());
    }

    /** How many times this JVM has loaded the registry: a warm invocation must not add to it. */
    public static int loads() {
        return LOADS.get();
    }

    private static byte[] resource(ClassLoader loader, String name) throws IOException {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Orders versions numerically part by part (1.10.0 after 1.9.0); a non-numeric part counts as 0. */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? parse(x[i]) : 0;
            int yi = i < y.length ? parse(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    private static int parse(String part) {
        try {
            return Integer.parseInt(part.replaceAll("\\D.*$", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
