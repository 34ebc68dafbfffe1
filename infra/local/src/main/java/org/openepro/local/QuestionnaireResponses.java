package org.openepro.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.AlertRule;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.Enablement;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.RuleKind;
import org.openepro.core.questionnaire.Value;

/**
 * Builds valid FHIR R4 QuestionnaireResponses from the packaged definitions, as the patient app
 * would send them: one answer per item, of the item's type and within its allowed values.
 * Unless told otherwise an answer is unremarkable: a low choice and a number that meets none of
 * the questionnaire's answer alert rules; {@code chosen} sets an item's score (a choice's ordinal
 * or a number) to raise an alert on purpose. Items the answers before them disable (enableWhen) are
 * left out, as the app leaves them out; the low answers are drawn again until every chosen item is asked.
 */
public final class QuestionnaireResponses {
    /**
     * FHIR dateTime as the API wants {@code authored}: always with seconds and a numeric UTC offset
     * ({@link OffsetDateTime#toString()} drops ":00" seconds and writes "Z").
     */
    public static final DateTimeFormatter AUTHORED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private QuestionnaireResponses() {
    }

    public static ObjectNode completed(QuestionnaireDefinition q, OffsetDateTime authored, Map<String, BigDecimal> chosen,
                                       RandomGenerator random) {
        ObjectNode qr = Json.mapper().createObjectNode();
        qr.put("resourceType", "QuestionnaireResponse");
        qr.put("questionnaire", q.canonical());
        qr.put("status", "completed");
        qr.put("authored", AUTHORED.format(authored));
        for (int attempt = 0; ; attempt++) {
            Map<String, List<Value>> given = new HashMap<>();
            qr.set("item", items(q, q.items(), authored, chosen, random, given));
            if (given.keySet().containsAll(chosen.keySet()) || attempt == 100) {
                return qr;
            }
        }
    }

    private static ArrayNode items(QuestionnaireDefinition q, List<ItemDefinition> items, OffsetDateTime authored,
                                   Map<String, BigDecimal> chosen, RandomGenerator random, Map<String, List<Value>> given) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (ItemDefinition item : items) {
            if (!Enablement.of(q, given).enabled(item.linkId())) {
                continue;
            }
            switch (item.type()) {
                case DISPLAY -> { }
                case GROUP -> {
                    ObjectNode group = out.addObject();
                    group.put("linkId", item.linkId());
                    group.set("item", items(q, item.children(), authored, chosen, random, given));
                }
                default -> {
                    ObjectNode node = out.addObject();
                    node.put("linkId", item.linkId());
                    if (item.text() != null) {
                        node.put("text", item.text());
                    }
                    ObjectNode answer = answer(q, item, authored, chosen.get(item.linkId()), random);
                    node.putArray("answer").add(answer);
                    given.put(item.linkId(), List.of(value(item, answer)));
                }
            }
        }
        return out;
    }

    /** The answer as enableWhen reads it. */
    private static Value value(ItemDefinition item, ObjectNode answer) {
        if (answer.has("valueCoding")) {
            return new Value.Coding(answer.get("valueCoding").path("system").asText(null),
                    answer.get("valueCoding").path("code").asText(), null);
        }
        if (answer.has("valueInteger") || answer.has("valueDecimal")) {
            return new Value.Number(answer.has("valueInteger") ? answer.get("valueInteger").decimalValue()
                    : answer.get("valueDecimal").decimalValue(), answer.has("valueInteger"));
        }
        if (answer.has("valueBoolean")) {
            return new Value.Bool(answer.get("valueBoolean").booleanValue());
        }
        return new Value.Text(answer.elements().next().asText());
    }

    private static ObjectNode answer(QuestionnaireDefinition q, ItemDefinition item, OffsetDateTime authored,
                                     BigDecimal wanted, RandomGenerator random) {
        ObjectNode answer = Json.mapper().createObjectNode();
        switch (item.type()) {
            case CHOICE -> {
                AnswerOption option = wanted != null ? optionScoring(item, wanted) : unremarkableOption(q, item, random);
                ObjectNode coding = answer.putObject("valueCoding");
                if (option.system() != null) {
                    coding.put("system", option.system());
                }
                coding.put("code", option.code());
                if (option.display() != null) {
                    coding.put("display", option.display());
                }
            }
            case INTEGER -> answer.put("valueInteger",
                    (wanted != null ? wanted : unremarkableNumber(q, item, random)).intValueExact());
            case DECIMAL -> answer.put("valueDecimal", wanted != null ? wanted : unremarkableNumber(q, item, random));
            case STRING, TEXT -> answer.put("valueString", "no comment");
            case BOOLEAN -> answer.put("valueBoolean", false);
            case DATE -> answer.put("valueDate", authored.toLocalDate().toString());
            case DATETIME -> answer.put("valueDateTime", AUTHORED.format(authored));
            default -> throw new IllegalArgumentException("item " + item.linkId() + " takes no answer");
        }
        return answer;
    }

    private static AnswerOption optionScoring(ItemDefinition item, BigDecimal ordinal) {
        return item.options().stream().filter(o -> o.ordinal() != null && o.ordinal().compareTo(ordinal) == 0)
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "item " + item.linkId() + " has no option scoring " + ordinal));
    }

    /** One of the two lowest-scoring options that raise no answer alert. */
    private static AnswerOption unremarkableOption(QuestionnaireDefinition q, ItemDefinition item, RandomGenerator random) {
        List<AnswerOption> quiet = new ArrayList<>();
        for (AnswerOption o : item.options()) {
            if (o.ordinal() == null || !raisesAlert(q, item, o.ordinal())) {
                quiet.add(o);
            }
        }
        if (quiet.isEmpty()) {
            throw new IllegalArgumentException("every option of " + item.linkId() + " raises an alert");
        }
        quiet.sort((a, b) -> a.ordinal() == null || b.ordinal() == null ? 0 : a.ordinal().compareTo(b.ordinal()));
        return quiet.get(random.nextInt(Math.min(2, quiet.size())));
    }

    /** A whole number within the item's bounds, below every answer alert threshold. */
    private static BigDecimal unremarkableNumber(QuestionnaireDefinition q, ItemDefinition item, RandomGenerator random) {
        int min = item.minValue() == null ? 0 : item.minValue().intValue();
        int max = item.maxValue() == null ? min + 10 : item.maxValue().intValue();
        for (int attempt = 0; attempt < 100; attempt++) {
            BigDecimal v = BigDecimal.valueOf(min + random.nextInt(max - min + 1));
            if (!raisesAlert(q, item, v)) {
                return v;
            }
        }
        return BigDecimal.valueOf(min);
    }

    private static boolean raisesAlert(QuestionnaireDefinition q, ItemDefinition item, BigDecimal value) {
        for (AlertRule rule : q.alertRules()) {
            if (rule.kind() == RuleKind.ANSWER && rule.linkIds().contains(item.linkId())
                    && rule.comparator().test(value, rule.threshold())) {
                return true;
            }
        }
        return false;
    }
}
