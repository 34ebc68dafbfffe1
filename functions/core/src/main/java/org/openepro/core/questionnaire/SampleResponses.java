package org.openepro.core.questionnaire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.openepro.core.fhir.QuestionnaireResponseBody;
import org.openepro.core.json.Json;

/**
 * The one builder of valid FHIR QuestionnaireResponse bodies of a definition, as the patient app
 * sends them: for SnapStart priming, tests, benchmarks, fixtures and the local demo. Items the
 * answers before them disable (enableWhen) are left out, as the engine requires. An item given a
 * score (a choice's ordinal, a number's value) is answered with it; the others get, by default,
 * their first option or minimum when required and no answer when optional.
 */
public final class SampleResponses {
    /**
     * FHIR dateTime as the API wants {@code authored}: always with seconds and a numeric UTC offset
     * ({@link OffsetDateTime#toString()} drops ":00" seconds and writes "Z").
     */
    public static final DateTimeFormatter AUTHORED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private static final String TEXT_ANSWER = "no comment";

    private SampleResponses() {}

    /** A response authored at this FHIR dateTime, sent as given (tests send malformed ones on purpose). */
    public static Builder of(QuestionnaireDefinition definition, String authored) {
        return new Builder(definition, authored);
    }

    public static Builder of(QuestionnaireDefinition definition, OffsetDateTime authored) {
        return new Builder(definition, AUTHORED.format(authored));
    }

    /** A response's envelope without items: the questionnaire it answers, completed, authored at {@code authored}. */
    public static ObjectNode envelope(String canonical, String authored) {
        ObjectNode qr = Json.mapper().createObjectNode();
        qr.put("resourceType", "QuestionnaireResponse");
        qr.put("questionnaire", canonical);
        qr.put("status", "completed");
        qr.put("authored", authored);
        return qr;
    }

    /** {@code at} to the second as the device at {@code offset} writes it, in {@link #AUTHORED}'s form. */
    public static String authored(Instant at, ZoneOffset offset) {
        return AUTHORED.format(at.truncatedTo(ChronoUnit.SECONDS).atOffset(offset));
    }

    public static byte[] bytes(ObjectNode response) {
        try {
            return Json.mapper().writeValueAsBytes(response);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How the items not given a score are answered. */
    private enum Fill {
        REQUIRED,
        EVERY,
        NONE
    }

    /** One response under construction; {@link #json()} gives the body. */
    public static final class Builder {
        private final QuestionnaireDefinition definition;
        private final String authored;
        private final Map<String, BigDecimal> scores = new LinkedHashMap<>();
        private final Set<String> forced = new HashSet<>();
        private Fill fill = Fill.REQUIRED;
        private RandomGenerator random;

        private Builder(QuestionnaireDefinition definition, String authored) {
            this.definition = definition;
            this.authored = authored;
        }

        /** Answers one item with this score; a choice without an option of that ordinal is refused at build. */
        public Builder score(String linkId, BigDecimal score) {
            scores.put(linkId, score);
            return this;
        }

        public Builder scores(Map<String, ? extends Number> byLinkId) {
            byLinkId.forEach(
                    (linkId, n) -> score(linkId, n instanceof BigDecimal d ? d : BigDecimal.valueOf(n.longValue())));
            return this;
        }

        /**
         * Answers every item, as a patient with nothing to report would: a choice among the two lowest
         * options and a number that meet none of the questionnaire's answer alert rules, drawn from
         * {@code random}; the draw is repeated until every scored item is asked.
         */
        public Builder unremarkable(RandomGenerator random) {
            this.fill = Fill.EVERY;
            this.random = random;
            return this;
        }

        /**
         * Answers this item (given a score) even where its enableWhen disables it: a response the
         * engine must refuse, for fixtures that prove they are never one.
         */
        public Builder evenIfDisabled(Collection<String> linkIds) {
            forced.addAll(linkIds);
            return this;
        }

        /** Answers only the items given a score. */
        public Builder scoredItemsOnly() {
            this.fill = Fill.NONE;
            return this;
        }

        public ObjectNode json() {
            ObjectNode qr = envelope(definition.canonical(), authored);
            for (int attempt = 0; ; attempt++) {
                Map<String, List<Value>> given = new HashMap<>();
                qr.set("item", items(definition.items(), given));
                if (random == null || given.keySet().containsAll(scores.keySet()) || attempt == 100) {
                    return qr;
                }
            }
        }

        public byte[] bytes() {
            return SampleResponses.bytes(json());
        }

        /** The body's items as the engine reads them. */
        public List<QuestionnaireResponseBody.Item> items() {
            try {
                return List.of(Json.mapper().treeToValue(json().path("item"), QuestionnaireResponseBody.Item[].class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private ArrayNode items(List<ItemDefinition> level, Map<String, List<Value>> given) {
            ArrayNode out = Json.mapper().createArrayNode();
            for (ItemDefinition item : level) {
                boolean walk = forced.contains(item.linkId()) || (item.type() == ItemType.GROUP && !forced.isEmpty());
                if (!walk && !Enablement.of(definition, given).enabled(item.linkId())) {
                    continue;
                }
                if (item.type() == ItemType.GROUP) {
                    ArrayNode children = items(item.children(), given);
                    if (!children.isEmpty()) {
                        ObjectNode group = out.addObject();
                        group.put("linkId", item.linkId());
                        group.set("item", children);
                    }
                    continue;
                }
                BigDecimal score = scores.get(item.linkId());
                if (!item.type().answerable() || (score == null && !fill(item))) {
                    continue;
                }
                ObjectNode node = out.addObject();
                node.put("linkId", item.linkId());
                if (item.text() != null) {
                    node.put("text", item.text());
                }
                given.put(
                        item.linkId(),
                        List.of(answer(item, score, node.putArray("answer").addObject())));
            }
            return out;
        }

        private boolean fill(ItemDefinition item) {
            return switch (fill) {
                case EVERY -> true;
                case REQUIRED -> item.required();
                case NONE -> false;
            };
        }

        /** Writes the answer into {@code answer} and returns it as enableWhen reads it. */
        private Value answer(ItemDefinition item, BigDecimal score, ObjectNode answer) {
            return switch (item.type()) {
                case CHOICE, OPEN_CHOICE -> {
                    AnswerOption o = score != null
                            ? optionScoring(item, score)
                            : random != null
                                    ? unremarkableOption(item)
                                    : item.options().get(0);
                    ObjectNode coding = answer.putObject("valueCoding");
                    if (o.system() != null) {
                        coding.put("system", o.system());
                    }
                    coding.put("code", o.code());
                    if (o.display() != null) {
                        coding.put("display", o.display());
                    }
                    yield o.coding();
                }
                case INTEGER -> {
                    BigDecimal n = score != null ? score : number(item);
                    answer.put("valueInteger", n.intValueExact());
                    yield new Value.Number(n, true);
                }
                case DECIMAL -> {
                    BigDecimal n = score != null ? score : number(item);
                    answer.put("valueDecimal", n);
                    yield new Value.Number(n, false);
                }
                case QUANTITY -> {
                    BigDecimal n = score != null ? score : BigDecimal.ZERO;
                    answer.putObject("valueQuantity").put("value", n);
                    yield new Value.Quantity(n, null, null, null);
                }
                case BOOLEAN -> {
                    boolean b = score != null && score.signum() != 0;
                    answer.put("valueBoolean", b);
                    yield new Value.Bool(b);
                }
                case DATE -> {
                    answer.put("valueDate", authored.substring(0, 10));
                    yield new Value.Date(LocalDate.parse(authored.substring(0, 10)));
                }
                case DATETIME -> {
                    answer.put("valueDateTime", authored);
                    yield new Value.DateTime(OffsetDateTime.parse(authored), authored);
                }
                case TIME -> {
                    answer.put("valueTime", "12:00:00");
                    yield new Value.Time(LocalTime.NOON, "12:00:00");
                }
                default -> {
                    answer.put("valueString", TEXT_ANSWER);
                    yield new Value.Text(TEXT_ANSWER);
                }
            };
        }

        private BigDecimal number(ItemDefinition item) {
            if (random != null) {
                return unremarkableNumber(item);
            }
            return item.minValue() != null ? item.minValue() : BigDecimal.ZERO;
        }

        private static AnswerOption optionScoring(ItemDefinition item, BigDecimal ordinal) {
            return item.options().stream()
                    .filter(o -> o.ordinal() != null && o.ordinal().compareTo(ordinal) == 0)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            "item " + item.linkId() + " has no option scoring " + ordinal));
        }

        /** One of the two lowest-scoring options that raise no answer alert. */
        private AnswerOption unremarkableOption(ItemDefinition item) {
            List<AnswerOption> quiet = new ArrayList<>();
            for (AnswerOption o : item.options()) {
                if (o.ordinal() == null || !raisesAlert(item, o.ordinal())) {
                    quiet.add(o);
                }
            }
            if (quiet.isEmpty()) {
                throw new IllegalArgumentException("every option of " + item.linkId() + " raises an alert");
            }
            quiet.sort((a, b) ->
                    a.ordinal() == null || b.ordinal() == null ? 0 : a.ordinal().compareTo(b.ordinal()));
            return quiet.get(random.nextInt(Math.min(2, quiet.size())));
        }

        /** A whole number within the item's bounds, below every answer alert threshold. */
        private BigDecimal unremarkableNumber(ItemDefinition item) {
            int min = item.minValue() == null ? 0 : item.minValue().intValue();
            int max = item.maxValue() == null ? min + 10 : item.maxValue().intValue();
            for (int attempt = 0; attempt < 100; attempt++) {
                BigDecimal v = BigDecimal.valueOf(min + random.nextInt(max - min + 1));
                if (!raisesAlert(item, v)) {
                    return v;
                }
            }
            return BigDecimal.valueOf(min);
        }

        private boolean raisesAlert(ItemDefinition item, BigDecimal value) {
            for (AlertRule rule : definition.alertRules()) {
                if (rule.kind() == RuleKind.ANSWER
                        && rule.linkIds().contains(item.linkId())
                        && rule.comparator().test(value, rule.threshold())) {
                    return true;
                }
            }
            return false;
        }
    }
}
