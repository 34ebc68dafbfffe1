package org.openepro.core.questionnaire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.openepro.core.json.Json;

/**
 * A questionnaire rendered in one of its languages: every {@code text}, answer {@code display}
 * (and the title, where translated) replaced by its FHIR translation, {@code language} set to it,
 * and the translation extensions dropped, so an app renders it as it is. The base language is the
 * resource exactly as published.
 */
public final class QuestionnaireRenderer {
    private QuestionnaireRenderer() {}

    /** @param language one of {@link QuestionnaireDefinition#languages()}, or null for the base language */
    public static JsonNode render(QuestionnaireDefinition d, String language) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(d.fhirJson());
        } catch (IOException e) {
            throw new UncheckedIOException("a read questionnaire is JSON", e);
        }
        if (language == null || language.equals(d.language())) {
            return tree;
        }
        if (!d.languages().contains(language)) {
            throw new IllegalArgumentException(d.canonical() + " has no " + language + " translation");
        }
        ObjectNode q = (ObjectNode) tree;
        translate(q, "title", language);
        q.put("language", language);
        for (JsonNode item : q.path("item")) {
            item((ObjectNode) item, language);
        }
        return q;
    }

    private static void item(ObjectNode item, String language) {
        translate(item, "text", language);
        translate(item, "prefix", language);
        for (JsonNode option : item.path("answerOption")) {
            JsonNode coding = option.path("valueCoding");
            if (coding.isObject()) {
                translate((ObjectNode) coding, "display", language);
            }
        }
        for (JsonNode child : item.path("item")) {
            item((ObjectNode) child, language);
        }
    }

    /** Replaces {@code field} with its translation into {@code language} (if any) and drops {@code _field}. */
    private static void translate(ObjectNode node, String field, String language) {
        JsonNode ext = node.path("_" + field).path("extension");
        for (JsonNode t : ext) {
            if (!QuestionnaireReader.TRANSLATION.equals(t.path("url").asText())) {
                continue;
            }
            String lang = null;
            String content = null;
            for (JsonNode sub : t.path("extension")) {
                if (sub.path("url").asText().equals("lang")) {
                    lang = sub.path("valueCode").asText();
                } else if (sub.path("url").asText().equals("content")) {
                    content = sub.path("valueString").asText();
                }
            }
            if (language.equals(lang) && content != null) {
                node.put(field, content);
            }
        }
        node.remove("_" + field);
    }
}
