package org.openepro.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;

/**
 * Serves the FHIR Questionnaire resources the backend validates against, so the patient app
 * renders exactly those. Bodies are built once per container.
 */
public final class QuestionnaireCatalog {
    private final QuestionnaireRegistry registry;
    // built on the first catalogue request (or by priming): a submission never needs it
    private volatile String bundle;

    public QuestionnaireCatalog(QuestionnaireRegistry registry) {
        this.registry = registry;
    }

    private static String buildBundle(QuestionnaireRegistry registry) {
        ObjectNode b = Json.mapper().createObjectNode();
        b.put("resourceType", "Bundle");
        b.put("type", "searchset");
        b.put("total", registry.all().size());
        ArrayNode entries = b.putArray("entry");
        try {
            for (QuestionnaireDefinition d : registry.all()) {
                ObjectNode entry = entries.addObject();
                entry.put("fullUrl", d.url());
                JsonNode resource = Json.mapper().readTree(d.fhirJson());
                entry.set("resource", resource);
            }
            return Json.mapper().writeValueAsString(b);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the questionnaire bundle", e);
        }
    }

    /** All questionnaires, every version, as a FHIR searchset Bundle. */
    public String bundle() {
        String b = bundle;
        if (b == null) {
            b = buildBundle(registry);
            bundle = b;
        }
        return b;
    }

    /** One questionnaire by resource id: the newest version, or the one asked for. */
    public Optional<String> questionnaire(String id, Optional<String> version) {
        Optional<QuestionnaireDefinition> d = version.isPresent()
                ? registry.latest(id).flatMap(latest -> registry.byCanonical(latest.url() + "|" + version.get()))
                : registry.latest(id);
        return d.map(def -> new String(def.fhirJson(), StandardCharsets.UTF_8));
    }
}
