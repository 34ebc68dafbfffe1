package org.openepro.core.questionnaire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.fhir.QuestionnaireResponseBody;
import org.openepro.core.json.Json;

/** Builds QuestionnaireResponse items for engine tests: only the items a test names, in definition order. */
final class Responses {
    private Responses() {}

    /**
     * Items answering the named items, in the definition's order: for a choice item an Integer picks
     * the option with that ordinal and a String the option with that code; a number item takes the
     * Integer as its value.
     */
    static List<QuestionnaireResponseBody.Item> of(QuestionnaireDefinition d, Object... linkIdThenValue) {
        Map<String, Object> wanted = new LinkedHashMap<>();
        for (int i = 0; i < linkIdThenValue.length; i += 2) {
            wanted.put((String) linkIdThenValue[i], linkIdThenValue[i + 1]);
        }
        return of(d, wanted);
    }

    static List<QuestionnaireResponseBody.Item> of(QuestionnaireDefinition d, Map<String, ?> wanted) {
        ArrayNode items = Json.mapper().createArrayNode();
        for (ItemDefinition item : d.answerableItems().values()) {
            Object value = wanted.get(item.linkId());
            if (value == null) {
                continue;
            }
            ObjectNode i = items.addObject();
            i.put("linkId", item.linkId());
            ObjectNode answer = i.putArray("answer").addObject();
            if (item.type().coded()) {
                AnswerOption o = item.options().stream()
                        .filter(x -> value instanceof Integer n
                                ? x.ordinal() != null && x.ordinal().intValue() == n
                                : x.code().equals(value))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(item.linkId() + " has no option " + value));
                ObjectNode coding = answer.putObject("valueCoding");
                coding.put("system", o.system());
                coding.put("code", o.code());
                coding.put("display", o.display());
            } else if (item.type() == ItemType.INTEGER) {
                answer.put("valueInteger", (Integer) value);
            } else if (item.type() == ItemType.DECIMAL) {
                answer.put("valueDecimal", new java.math.BigDecimal(value.toString()));
            } else if (item.type() == ItemType.BOOLEAN) {
                answer.put("valueBoolean", (Boolean) value);
            } else {
                answer.put(item.type().valueField(), value.toString());
            }
        }
        return items(items);
    }

    static ObjectNode coded(String linkId, String system, String code) {
        ObjectNode i = Json.mapper().createObjectNode();
        i.put("linkId", linkId);
        ObjectNode coding = i.putArray("answer").addObject().putObject("valueCoding");
        if (system != null) {
            coding.put("system", system);
        }
        coding.put("code", code);
        return i;
    }

    static List<QuestionnaireResponseBody.Item> items(String json) {
        try {
            return items(Json.mapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<QuestionnaireResponseBody.Item> items(JsonNode array) {
        try {
            return List.of(Json.mapper().treeToValue(array, QuestionnaireResponseBody.Item[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static QuestionnaireDefinition questionnaire(String json) {
        return QuestionnaireRegistry.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static QuestionnaireReader.Result read(String json) {
        return QuestionnaireReader.read(json.getBytes(StandardCharsets.UTF_8));
    }
}
