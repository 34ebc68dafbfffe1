package org.openepro.core.questionnaire;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a FHIR R4 Questionnaire resource into a {@link QuestionnaireDefinition}, and refuses a
 * definition the backend could not enforce (a rule on an unknown item, a repeating item, ...).
 */
final class QuestionnaireParser {
    static final String SD = "https://openepro.dev/fhir/StructureDefinition/";
    static final String ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
    static final String MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue";
    static final String MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue";
    static final String LOINC = "http://loinc.org";

    private QuestionnaireParser() {
    }

    static QuestionnaireDefinition parse(JsonNode q, byte[] raw) {
        require("Questionnaire".equals(q.path("resourceType").asText()), "not a Questionnaire");
        String id = text(q, "id");
        String url = text(q, "url");
        String version = text(q, "version");
        String where = url + "|" + version;

        List<ItemDefinition> items = new ArrayList<>();
        Map<String, ItemDefinition> answerable = new LinkedHashMap<>();
        for (JsonNode item : q.path("item")) {
            items.add(item(item, answerable, where));
        }
        List<ScoreDefinition> scores = new ArrayList<>();
        List<AlertRule> rules = new ArrayList<>();
        Duration window = Duration.ofHours(24);
        for (JsonNode ext : q.path("extension")) {
            String extUrl = ext.path("url").asText();
            switch (extUrl) {
                case SD + "score" -> scores.add(score(ext, answerable, where));
                case SD + "alert-rule" -> rules.add(rule(ext, where));
                case SD + "submission-window" -> window = duration(ext.path("valueDuration"), where);
                default -> {
                    // other extensions are for renderers, not for validation
                }
            }
        }
        for (AlertRule r : rules) {
            for (String linkId : r.linkIds()) {
                require(answerable.containsKey(linkId), where + ": rule " + r.id() + " names unknown item " + linkId);
            }
            if (r.kind() == RuleKind.SCORE) {
                require(scores.stream().anyMatch(s -> s.id().equals(r.scoreId())),
                        where + ": rule " + r.id() + " names unknown score " + r.scoreId());
            } else {
                require(!r.linkIds().isEmpty(), where + ": rule " + r.id() + " names no item");
            }
        }
        String code = null;
        for (JsonNode c : q.path("code")) {
            if (LOINC.equals(c.path("system").asText())) {
                code = c.path("code").asText();
            }
        }
        return new QuestionnaireDefinition(id, url, version, q.path("name").asText(id), q.path("title").asText(id),
                code, List.copyOf(items), Collections.unmodifiableMap(answerable), List.copyOf(scores),
                List.copyOf(rules), window, raw);
    }

    private static ItemDefinition item(JsonNode node, Map<String, ItemDefinition> answerable, String where) {
        String linkId = text(node, "linkId");
        ItemType type = ItemType.fromFhir(text(node, "type"));
        require(!node.path("repeats").asBoolean(false), where + ": item " + linkId + " repeats (not supported)");
        List<AnswerOption> options = new ArrayList<>();
        for (JsonNode o : node.path("answerOption")) {
            JsonNode coding = o.path("valueCoding");
            require(coding.isObject(), where + ": item " + linkId + " has a non-coding answerOption");
            BigDecimal ordinal = null;
            for (JsonNode e : o.path("extension")) {
                if (ORDINAL.equals(e.path("url").asText())) {
                    ordinal = e.path("valueDecimal").decimalValue();
                }
            }
            options.add(new AnswerOption(text(coding, "system"), text(coding, "code"),
                    coding.path("display").asText(null), ordinal));
        }
        require(type != ItemType.CHOICE || !options.isEmpty(), where + ": choice item " + linkId + " has no options");
        BigDecimal min = null;
        BigDecimal max = null;
        for (JsonNode e : node.path("extension")) {
            String u = e.path("url").asText();
            if (MIN_VALUE.equals(u)) {
                min = number(e);
            } else if (MAX_VALUE.equals(u)) {
                max = number(e);
            }
        }
        String code = null;
        for (JsonNode c : node.path("code")) {
            if (LOINC.equals(c.path("system").asText())) {
                code = c.path("code").asText();
            }
        }
        List<ItemDefinition> children = new ArrayList<>();
        for (JsonNode child : node.path("item")) {
            children.add(item(child, answerable, where));
        }
        Integer maxLength = node.has("maxLength") ? node.get("maxLength").asInt() : null;
        ItemDefinition def = new ItemDefinition(linkId, node.path("prefix").asText(null), node.path("text").asText(""),
                code, type, node.path("required").asBoolean(false), options, min, max, maxLength, children);
        if (type.answerable()) {
            require(answerable.put(linkId, def) == null, where + ": duplicate linkId " + linkId);
        }
        return def;
    }

    private static ScoreDefinition score(JsonNode ext, Map<String, ItemDefinition> answerable, String where) {
        String id = null;
        String title = null;
        String method = null;
        String code = null;
        Integer min = null;
        Integer max = null;
        List<String> items = new ArrayList<>();
        List<ScoreBand> bands = new ArrayList<>();
        for (JsonNode sub : ext.path("extension")) {
            switch (sub.path("url").asText()) {
                case "id" -> id = sub.path("valueId").asText();
                case "title" -> title = sub.path("valueString").asText();
                case "method" -> method = sub.path("valueCode").asText();
                case "code" -> code = sub.path("valueCoding").path("code").asText();
                case "item" -> items.add(sub.path("valueString").asText());
                case "min" -> min = sub.path("valueInteger").asInt();
                case "max" -> max = sub.path("valueInteger").asInt();
                case "band" -> bands.add(band(sub));
                default -> {
                }
            }
        }
        require(id != null && method != null && !items.isEmpty(), where + ": score needs id, method and items");
        for (String linkId : items) {
            require(answerable.containsKey(linkId), where + ": score " + id + " names unknown item " + linkId);
        }
        return new ScoreDefinition(id, title == null ? id : title, ScoreMethod.fromCode(method), items, code, min, max,
                bands);
    }

    private static ScoreBand band(JsonNode ext) {
        int min = 0;
        int max = 0;
        String code = null;
        String display = null;
        for (JsonNode sub : ext.path("extension")) {
            switch (sub.path("url").asText()) {
                case "min" -> min = sub.path("valueInteger").asInt();
                case "max" -> max = sub.path("valueInteger").asInt();
                case "code" -> code = sub.path("valueCode").asText();
                case "display" -> display = sub.path("valueString").asText();
                default -> {
                }
            }
        }
        return new ScoreBand(min, max, code, display);
    }

    private static AlertRule rule(JsonNode ext, String where) {
        String id = null;
        String severity = null;
        String kind = null;
        String score = null;
        String comparator = null;
        BigDecimal threshold = null;
        String description = "";
        List<String> items = new ArrayList<>();
        for (JsonNode sub : ext.path("extension")) {
            switch (sub.path("url").asText()) {
                case "id" -> id = sub.path("valueId").asText();
                case "severity" -> severity = sub.path("valueCode").asText();
                case "kind" -> kind = sub.path("valueCode").asText();
                case "item" -> items.add(sub.path("valueString").asText());
                case "score" -> score = sub.path("valueId").asText();
                case "comparator" -> comparator = sub.path("valueCode").asText();
                case "threshold" -> threshold = sub.path("valueDecimal").decimalValue();
                case "description" -> description = sub.path("valueString").asText();
                default -> {
                }
            }
        }
        require(id != null && severity != null && kind != null && comparator != null && threshold != null,
                where + ": alert rule needs id, severity, kind, comparator and threshold");
        return new AlertRule(id, Severity.valueOf(severity), RuleKind.fromCode(kind), items, score,
                Comparator.fromCode(comparator), threshold, description);
    }

    private static Duration duration(JsonNode d, String where) {
        long value = d.path("value").asLong();
        String unit = d.path("code").asText(d.path("unit").asText());
        return switch (unit) {
            case "min" -> Duration.ofMinutes(value);
            case "h" -> Duration.ofHours(value);
            case "d" -> Duration.ofDays(value);
            default -> throw new IllegalArgumentException(where + ": submission window unit " + unit);
        };
    }

    private static BigDecimal number(JsonNode e) {
        if (e.has("valueInteger")) {
            return BigDecimal.valueOf(e.get("valueInteger").asLong());
        }
        return e.path("valueDecimal").decimalValue();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        require(v != null && v.isTextual() && !v.asText().isBlank(), "missing " + field);
        return v.asText();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
