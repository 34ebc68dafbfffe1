package org.openepro.core.questionnaire;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and checks OpenEPRO's scoring and alert-rule extensions of a Questionnaire: every score and
 * rule names existing items, a sum adds only answerOption scores, and every rule's threshold can be
 * reached by some answer (a rule that can never fire is a silent hole in patient safety).
 */
final class ExtensionReader {
    private final QuestionnaireReader reader;

    ExtensionReader(QuestionnaireReader reader) {
        this.reader = reader;
    }

    /** The values an item or a score can take: a discrete set (options) or an interval (null ends unbounded). */
    record Range(List<BigDecimal> discrete, BigDecimal min, BigDecimal max) {
        static Range of(List<BigDecimal> values) {
            BigDecimal min = values.stream().min(BigDecimal::compareTo).orElse(null);
            BigDecimal max = values.stream().max(BigDecimal::compareTo).orElse(null);
            return new Range(List.copyOf(values), min, max);
        }

        static Range interval(BigDecimal min, BigDecimal max) {
            return new Range(null, min, max);
        }

        /** Whether some value v of this range satisfies {@code v comparator threshold}. */
        boolean reaches(Comparator comparator, BigDecimal threshold) {
            if (discrete != null) {
                return discrete.stream().anyMatch(v -> comparator.test(v, threshold));
            }
            return switch (comparator) {
                case GT -> max == null || max.compareTo(threshold) > 0;
                case GE -> max == null || max.compareTo(threshold) >= 0;
                case LT -> min == null || min.compareTo(threshold) < 0;
                case LE -> min == null || min.compareTo(threshold) <= 0;
                case EQ ->
                    (min == null || min.compareTo(threshold) <= 0) && (max == null || max.compareTo(threshold) >= 0);
            };
        }

        /** The range of a later value minus an earlier one. */
        Range difference() {
            if (discrete != null) {
                List<BigDecimal> d = new ArrayList<>();
                for (BigDecimal a : discrete) {
                    for (BigDecimal b : discrete) {
                        d.add(a.subtract(b));
                    }
                }
                return of(d);
            }
            BigDecimal span = min == null || max == null ? null : max.subtract(min);
            return interval(span == null ? null : span.negate(), span);
        }
    }

    ScoreDefinition score(JsonNode ext, String p, Map<String, ItemDefinition> answerable) {
        String id = null;
        String title = null;
        String method = null;
        String code = null;
        Integer min = null;
        Integer max = null;
        List<String> items = new ArrayList<>();
        List<ScoreBand> bands = new ArrayList<>();
        JsonNode subs = ext.path("extension");
        for (int i = 0; i < subs.size(); i++) {
            JsonNode sub = subs.get(i);
            switch (sub.path("url").asText()) {
                case "id" -> id = sub.path("valueId").asText(null);
                case "title" -> title = sub.path("valueString").asText(null);
                case "method" -> method = sub.path("valueCode").asText(null);
                case "code" -> code = sub.path("valueCoding").path("code").asText(null);
                case "item" -> items.add(sub.path("valueString").asText());
                case "min" -> min = integer(sub, p + "/extension/" + i);
                case "max" -> max = integer(sub, p + "/extension/" + i);
                case "band" -> bands.add(band(sub, p + "/extension/" + i));
                default ->
                    reader.issue(
                            p + "/extension/" + i,
                            null,
                            "unsupported-element",
                            "A score has id, title, method, code, item, min, max and band.");
            }
        }
        if (id == null || method == null || items.isEmpty()) {
            reader.issue(p, null, "required", "A score needs id, method and at least one item.");
            return null;
        }
        ScoreMethod m;
        try {
            m = ScoreMethod.fromCode(method);
        } catch (IllegalArgumentException e) {
            reader.issue(p, null, "invalid", "A score's method is sum, value or profile.");
            return null;
        }
        ScoreDefinition score = new ScoreDefinition(id, title == null ? id : title, m, items, code, min, max, bands);
        Range range = null;
        boolean itemsOk = true;
        for (String linkId : items) {
            ItemDefinition item = answerable.get(linkId);
            if (item == null) {
                reader.issue(
                        p, linkId, "unknown-item", "Score " + id + " names an item this questionnaire does not have.");
                itemsOk = false;
            } else if (item.repeats()) {
                reader.issue(
                        p, linkId, "invalid", "Score " + id + " names a repeating item: which answer would count?");
                itemsOk = false;
            }
        }
        if (!itemsOk) {
            return score;
        }
        switch (m) {
            case SUM -> {
                BigDecimal lo = BigDecimal.ZERO;
                BigDecimal hi = BigDecimal.ZERO;
                for (String linkId : items) {
                    Optional<Range> r = optionRange(answerable.get(linkId));
                    if (r.isEmpty()) {
                        reader.issue(
                                p,
                                linkId,
                                "invalid",
                                "Score " + id + " sums only answerOption items whose every option"
                                        + " carries an ordinalValue; this item has none to add.");
                        return score;
                    }
                    lo = lo.add(r.get().min());
                    hi = hi.add(r.get().max());
                }
                range = Range.interval(lo, hi);
            }
            case VALUE -> {
                if (items.size() != 1) {
                    reader.issue(p, null, "invalid", "A value score names exactly one item.");
                    return score;
                }
                range = itemRange(answerable.get(items.get(0))).orElse(null);
                if (range == null) {
                    reader.issue(
                            p,
                            items.get(0),
                            "invalid",
                            "A value score needs a number item or options with ordinalValue.");
                    return score;
                }
            }
            case PROFILE -> {
                for (String linkId : items) {
                    if (!answerable.get(linkId).type().coded()) {
                        reader.issue(p, linkId, "invalid", "A profile concatenates the codes of choice items.");
                    }
                }
                return score;
            }
        }
        if (range.discrete() == null && range.min() != null && range.max() != null) {
            if ((min != null && BigDecimal.valueOf(min).compareTo(range.min()) != 0)
                    || (max != null && BigDecimal.valueOf(max).compareTo(range.max()) != 0)) {
                reader.issue(
                        p,
                        null,
                        "score-range",
                        "Score " + id + " declares min " + min + " and max " + max + " but its items give "
                                + range.min().toPlainString() + " to "
                                + range.max().toPlainString() + ".");
            }
        }
        for (int i = 0; i < bands.size(); i++) {
            ScoreBand b = bands.get(i);
            if (b.min() > b.max()) {
                reader.issue(p, null, "invalid", "A band of score " + id + " has min above max.");
            }
            for (int j = 0; j < i; j++) {
                ScoreBand o = bands.get(j);
                if (b.min() <= o.max() && o.min() <= b.max()) {
                    reader.issue(p, null, "invalid", "Two bands of score " + id + " overlap.");
                }
            }
        }
        return score;
    }

    AlertRule rule(JsonNode ext, String p) {
        String id = null;
        String severity = null;
        String kind = null;
        String score = null;
        String comparator = null;
        BigDecimal threshold = null;
        String description = "";
        List<String> items = new ArrayList<>();
        JsonNode subs = ext.path("extension");
        for (int i = 0; i < subs.size(); i++) {
            JsonNode sub = subs.get(i);
            switch (sub.path("url").asText()) {
                case "id" -> id = sub.path("valueId").asText(null);
                case "severity" -> severity = sub.path("valueCode").asText(null);
                case "kind" -> kind = sub.path("valueCode").asText(null);
                case "item" -> items.add(sub.path("valueString").asText());
                case "score" -> score = sub.path("valueId").asText(null);
                case "comparator" -> comparator = sub.path("valueCode").asText(null);
                case "threshold" ->
                    threshold = sub.path("valueDecimal").isNumber()
                            ? sub.path("valueDecimal").decimalValue()
                            : null;
                case "description" -> description = sub.path("valueString").asText("");
                default ->
                    reader.issue(
                            p + "/extension/" + i,
                            null,
                            "unsupported-element",
                            "An alert rule has id, severity, kind, item, score, comparator, threshold and description.");
            }
        }
        if (id == null || severity == null || kind == null || comparator == null || threshold == null) {
            reader.issue(p, null, "required", "An alert rule needs id, severity, kind, comparator and threshold.");
            return null;
        }
        try {
            return new AlertRule(
                    id,
                    Severity.valueOf(severity),
                    RuleKind.fromCode(kind),
                    items,
                    score,
                    Comparator.fromCode(comparator),
                    threshold,
                    description);
        } catch (IllegalArgumentException e) {
            reader.issue(
                    p,
                    null,
                    "invalid",
                    "Alert rule " + id + ": severity is URGENT, HIGH, MEDIUM or LOW; kind is"
                            + " answer, score or worsening; comparator is gt, ge, lt, le or eq.");
            return null;
        }
    }

    /** Every rule names existing items (or an existing numeric score) and a threshold some answer reaches. */
    void checkRule(AlertRule r, Map<String, ItemDefinition> answerable, List<ScoreDefinition> scores) {
        String p = "/extension";
        if (r.kind() == RuleKind.SCORE) {
            ScoreDefinition s = scores.stream()
                    .filter(x -> x.id().equals(r.scoreId()))
                    .findFirst()
                    .orElse(null);
            if (s == null) {
                reader.issue(
                        p,
                        null,
                        "unknown-score",
                        "Alert rule " + r.id() + " names a score this questionnaire does not have.");
                return;
            }
            if (s.method() == ScoreMethod.PROFILE) {
                reader.issue(
                        p,
                        null,
                        "invalid",
                        "Alert rule " + r.id() + " compares a profile score, which is not a number.");
                return;
            }
            Range range = scoreRange(s, answerable);
            if (range != null && !range.reaches(r.comparator(), r.threshold())) {
                reader.issue(
                        p,
                        null,
                        "unreachable",
                        "Alert rule " + r.id() + " can never fire: no score reaches its threshold.");
            }
            return;
        }
        if (r.linkIds().isEmpty()) {
            reader.issue(p, null, "required", "Alert rule " + r.id() + " names no item.");
            return;
        }
        boolean reachable = false;
        for (String linkId : r.linkIds()) {
            ItemDefinition item = answerable.get(linkId);
            if (item == null) {
                reader.issue(
                        p,
                        linkId,
                        "unknown-item",
                        "Alert rule " + r.id() + " names an item this questionnaire does not have.");
                return;
            }
            if (item.repeats()) {
                reader.issue(p, linkId, "invalid", "Alert rule " + r.id() + " names a repeating item.");
                return;
            }
            Optional<Range> range = itemRange(item);
            if (range.isEmpty()) {
                reader.issue(
                        p,
                        linkId,
                        "invalid",
                        "Alert rule " + r.id() + " compares an item that has no number (a "
                                + item.type().fhirCode() + " item without ordinalValue options).");
                return;
            }
            Range values = r.kind() == RuleKind.WORSENING ? range.get().difference() : range.get();
            reachable |= values.reaches(r.comparator(), r.threshold());
        }
        if (!reachable) {
            reader.issue(
                    p,
                    null,
                    "unreachable",
                    "Alert rule " + r.id() + " can never fire: no answer of its items reaches" + " its threshold.");
        }
    }

    private Range scoreRange(ScoreDefinition s, Map<String, ItemDefinition> answerable) {
        if (s.method() == ScoreMethod.VALUE) {
            ItemDefinition item = answerable.get(s.linkIds().get(0));
            return item == null ? null : itemRange(item).orElse(null);
        }
        BigDecimal lo = BigDecimal.ZERO;
        BigDecimal hi = BigDecimal.ZERO;
        for (String linkId : s.linkIds()) {
            ItemDefinition item = answerable.get(linkId);
            Optional<Range> r = item == null ? Optional.empty() : optionRange(item);
            if (r.isEmpty()) {
                return null;
            }
            lo = lo.add(r.get().min());
            hi = hi.add(r.get().max());
        }
        return Range.interval(lo, hi);
    }

    /** A coded item's option scores, when every option has one. */
    static Optional<Range> optionRange(ItemDefinition item) {
        if (!item.type().coded()
                || item.options().isEmpty()
                || item.options().stream().anyMatch(o -> o.ordinal() == null)) {
            return Optional.empty();
        }
        return Optional.of(
                Range.of(item.options().stream().map(AnswerOption::ordinal).toList()));
    }

    static Optional<Range> itemRange(ItemDefinition item) {
        if (item.type().numeric()) {
            return Optional.of(Range.interval(item.minValue(), item.maxValue()));
        }
        return optionRange(item);
    }

    private Integer integer(JsonNode sub, String p) {
        JsonNode v = sub.path("valueInteger");
        if (!v.isIntegralNumber()) {
            reader.issue(p, null, "invalid", "This is a valueInteger.");
            return null;
        }
        return v.intValue();
    }

    private ScoreBand band(JsonNode ext, String p) {
        int min = 0;
        int max = 0;
        String code = null;
        String display = null;
        for (JsonNode sub : ext.path("extension")) {
            switch (sub.path("url").asText()) {
                case "min" -> min = sub.path("valueInteger").asInt();
                case "max" -> max = sub.path("valueInteger").asInt();
                case "code" -> code = sub.path("valueCode").asText(null);
                case "display" -> display = sub.path("valueString").asText(null);
                default -> reader.issue(p, null, "unsupported-element", "A band has min, max, code and display.");
            }
        }
        if (code == null) {
            reader.issue(p, null, "required", "A band needs a code.");
        }
        return new ScoreBand(min, max, code, display);
    }
}
