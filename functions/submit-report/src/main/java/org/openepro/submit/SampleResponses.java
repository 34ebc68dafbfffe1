package org.openepro.submit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.Enablement;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.ItemType;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.Value;

/**
 * Builds valid FHIR QuestionnaireResponse bodies for a definition: used to prime the hot path
 * before a SnapStart snapshot, by tests, benchmarks and the local demo. Items the answers chosen so
 * far disable (enableWhen) are left out, as the engine requires.
 */
public final class SampleResponses {
    private SampleResponses() {
    }

    /**
     * @param scores per linkId, the score to answer with (a choice's ordinal, a number's value);
     *               required items not named get their lowest option or minimum, optional ones none
     */
    public static ObjectNode response(QuestionnaireDefinition def, Map<String, Integer> scores, String authored) {
        ObjectNode qr = Json.mapper().createObjectNode();
        qr.put("resourceType", "QuestionnaireResponse");
        qr.put("questionnaire", def.canonical());
        qr.put("status", "completed");
        qr.put("authored", authored);
        Map<String, List<Value>> given = new HashMap<>();
        items(def, def.items(), qr.putArray("item"), scores, authored, given);
        return qr;
    }

    private static void items(QuestionnaireDefinition def, List<ItemDefinition> level, ArrayNode out,
                              Map<String, Integer> scores, String authored, Map<String, List<Value>> given) {
        for (ItemDefinition item : level) {
            if (!Enablement.of(def, given).enabled(item.linkId())) {
                continue;
            }
            if (item.type() == ItemType.GROUP) {
                ObjectNode g = Json.mapper().createObjectNode();
                g.put("linkId", item.linkId());
                ArrayNode children = g.putArray("item");
                items(def, item.children(), children, scores, authored, given);
                if (!children.isEmpty()) {
                    out.add(g);
                }
                continue;
            }
            if (!item.type().answerable()) {
                continue;
            }
            Integer score = scores.get(item.linkId());
            if (!item.required() && score == null) {
                continue;
            }
            ObjectNode i = out.addObject();
            i.put("linkId", item.linkId());
            ObjectNode answer = i.putArray("answer").addObject();
            Value value = switch (item.type()) {
                case CHOICE, OPEN_CHOICE -> {
                    AnswerOption chosen = item.options().get(0);
                    for (AnswerOption o : item.options()) {
                        if (score != null && o.ordinal() != null && o.ordinal().intValue() == score) {
                            chosen = o;
                        }
                    }
                    ObjectNode coding = answer.putObject("valueCoding");
                    coding.put("system", chosen.system());
                    coding.put("code", chosen.code());
                    coding.put("display", chosen.display());
                    yield chosen.coding();
                }
                case INTEGER -> {
                    int n = score != null ? score : item.minValue() != null ? item.minValue().intValue() : 0;
                    answer.put("valueInteger", n);
                    yield new Value.Number(BigDecimal.valueOf(n), true);
                }
                case DECIMAL -> {
                    BigDecimal n = score != null ? BigDecimal.valueOf(score)
                            : item.minValue() != null ? item.minValue() : BigDecimal.ZERO;
                    answer.put("valueDecimal", n);
                    yield new Value.Number(n, false);
                }
                case QUANTITY -> {
                    BigDecimal n = score != null ? BigDecimal.valueOf(score) : BigDecimal.ZERO;
                    answer.putObject("valueQuantity").put("value", n);
                    yield new Value.Quantity(n, null, null, null);
                }
                case BOOLEAN -> {
                    answer.put("valueBoolean", score != null && score != 0);
                    yield new Value.Bool(score != null && score != 0);
                }
                case DATE -> {
                    answer.put("valueDate", authored.substring(0, 10));
                    yield new Value.Date(java.time.LocalDate.parse(authored.substring(0, 10)));
                }
                case DATETIME -> {
                    answer.put("valueDateTime", authored);
                    yield new Value.DateTime(java.time.OffsetDateTime.parse(authored), authored);
                }
                case TIME -> {
                    answer.put("valueTime", "12:00:00");
                    yield new Value.Time(java.time.LocalTime.NOON, "12:00:00");
                }
                default -> {
                    answer.put("valueString", "sample answer");
                    yield new Value.Text("sample answer");
                }
            };
            given.put(item.linkId(), List.of(value));
        }
    }

    public static byte[] bytes(ObjectNode response) {
        try {
            return Json.mapper().writeValueAsBytes(response);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
