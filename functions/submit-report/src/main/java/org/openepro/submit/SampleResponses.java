package org.openepro.submit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;

/**
 * Builds valid FHIR QuestionnaireResponse bodies for a definition: used to prime the hot path
 * before a SnapStart snapshot, by tests, benchmarks and the local demo.
 */
public final class SampleResponses {
    private SampleResponses() {
    }

    /**
     * @param scores per linkId, the score to answer with (a choice's ordinal, a number's value);
     *               items not named get their lowest option or minimum
     */
    public static ObjectNode response(QuestionnaireDefinition def, Map<String, Integer> scores, String authored) {
        ObjectNode qr = Json.mapper().createObjectNode();
        qr.put("resourceType", "QuestionnaireResponse");
        qr.put("questionnaire", def.canonical());
        qr.put("status", "completed");
        qr.put("authored", authored);
        ArrayNode items = qr.putArray("item");
        for (ItemDefinition item : def.answerableItems().values()) {
            Integer score = scores.get(item.linkId());
            if (!item.required() && score == null) {
                continue;
            }
            ObjectNode i = items.addObject();
            i.put("linkId", item.linkId());
            ObjectNode answer = i.putArray("answer").addObject();
            switch (item.type()) {
                case CHOICE -> {
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
                }
                case INTEGER -> answer.put("valueInteger", score != null ? score
                        : item.minValue() != null ? item.minValue().intValue() : 0);
                case DECIMAL -> answer.put("valueDecimal", score != null ? BigDecimal.valueOf(score)
                        : item.minValue() != null ? item.minValue() : BigDecimal.ZERO);
                case BOOLEAN -> answer.put("valueBoolean", score != null && score != 0);
                case DATE -> answer.put("valueDate", authored.substring(0, 10));
                case DATETIME -> answer.put("valueDateTime", authored);
                default -> answer.put("valueString", "sample answer");
            }
        }
        return qr;
    }

    public static byte[] bytes(ObjectNode response) {
        try {
            return Json.mapper().writeValueAsBytes(response);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
