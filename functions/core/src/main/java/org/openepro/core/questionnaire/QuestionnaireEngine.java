package org.openepro.core.questionnaire;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.openepro.core.fhir.QuestionnaireResponseBody.AnswerValue;
import org.openepro.core.fhir.QuestionnaireResponseBody.Item;
import org.openepro.core.http.Problem.FieldError;
import org.openepro.core.report.Answer;

/**
 * The one questionnaire engine: checks a QuestionnaireResponse's items against their versioned
 * definition (structure, order, answer types and allowed values, enableWhen, required) and turns
 * them into the answers a report stores. Used by submission and by every tool that builds
 * responses, so production and fixtures follow the same rules.
 *
 * <p>Texts the app sends ({@code item.text}, a coding's {@code display}) are compared with the
 * definition's (in the response's language) and a difference is recorded, never trusted: the stored
 * answer carries the definition's code and base-language display. Messages describe the rule broken,
 * never the value sent.
 */
public final class QuestionnaireEngine {
    public static final int DEFAULT_MAX_TEXT = 2000;
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME_WITH_OFFSET =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern TIME = Pattern.compile("\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?");

    private QuestionnaireEngine() {}

    /**
     * What the engine made of the items.
     *
     * @param answers     the stored answers, in the definition's order (branch-skipped ones included)
     * @param disabled    linkIds of questions their enableWhen disabled (and no answer stands for)
     * @param textDiffers linkIds whose item text or answer display differed from the definition's
     * @param errors      every problem (422), each with a pointer, the linkId and a code
     * @param warnings    what is recorded but accepted (a text that differs)
     */
    public record Checked(
            List<Answer> answers,
            List<String> disabled,
            List<String> textDiffers,
            List<FieldError> errors,
            List<FieldError> warnings) {
        public Checked {
            answers = List.copyOf(answers);
            disabled = List.copyOf(disabled);
            textDiffers = List.copyOf(textDiffers);
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param language the response's language, already matched to one of the definition's (null: base)
     */
    public static Checked check(QuestionnaireDefinition definition, List<Item> items, String language) {
        return new Run(definition, language).check(items);
    }

    /** One check: the state of walking one response. */
    private static final class Run {
        private final QuestionnaireDefinition def;
        private final String language;
        private final Map<String, List<Value>> given = new HashMap<>();
        private final Map<String, List<Answer>> answers = new HashMap<>();
        private final Map<String, String> pointers = new HashMap<>();
        // questions with an answer the engine refused: what depends on them cannot be decided
        private final Set<String> invalid = new LinkedHashSet<>();
        private final Set<String> textDiffers = new LinkedHashSet<>();
        private final List<FieldError> errors = new ArrayList<>();
        private final List<FieldError> warnings = new ArrayList<>();

        Run(QuestionnaireDefinition def, String language) {
            this.def = def;
            this.language = language;
        }

        Checked check(List<Item> items) {
            walk(def.items(), items, "");
            Enablement enablement = Enablement.of(def, given);
            List<Answer> stored = new ArrayList<>();
            List<String> disabled = new ArrayList<>();
            Map<String, ItemDefinition> parents = def.parents();
            for (ItemDefinition d : def.allItems()) {
                String linkId = d.linkId();
                boolean on = enablement.enabled(linkId);
                List<Answer> mine = answers.getOrDefault(linkId, List.of());
                if (d.type() == ItemType.GROUP) {
                    if (on && d.required() && !answeredBelow(d)) {
                        errors.add(FieldError.item(
                                pointers.getOrDefault(linkId, "/item"),
                                linkId,
                                "required",
                                "This required group has no answered item."));
                    }
                    continue;
                }
                if (!d.type().answerable()) {
                    continue;
                }
                if (undecidable(d, parents)) {
                    // the enabling answer is itself refused: its error says what to fix, a guess here would mislead
                    continue;
                }
                if (!on) {
                    if (given.containsKey(linkId)) {
                        errors.add(FieldError.item(
                                pointers.get(linkId) + "/answer",
                                linkId,
                                "disabled-item",
                                "This item is not enabled by the answers given (enableWhen"
                                        + (parents.get(linkId) != null ? " of the item or its group" : "")
                                        + "): it must not be answered."));
                    } else if (d.branchSkippedOption().isPresent()) {
                        AnswerOption o = d.branchSkippedOption().get();
                        stored.add(
                                Answer.branchSkipped(linkId, d.type(), o.system(), o.code(), o.display(), o.ordinal()));
                    } else {
                        disabled.add(linkId);
                    }
                    continue;
                }
                if (mine.isEmpty()) {
                    if (d.required() && !pointers.containsKey(linkId)) {
                        errors.add(FieldError.item("/item", linkId, "required", "This required item is not answered."));
                    }
                    continue;
                }
                if (d.readOnly()
                        && !initialValues(d).isEmpty()
                        && !sameValues(given.getOrDefault(linkId, List.of()), initialValues(d))) {
                    errors.add(FieldError.item(
                            pointers.get(linkId) + "/answer",
                            linkId,
                            "read-only",
                            "This item is read-only: its answer is the questionnaire's initial value."));
                    continue;
                }
                stored.addAll(mine);
            }
            return new Checked(stored, disabled, List.copyOf(textDiffers), errors, warnings);
        }

        /** Whether the item's enablement hangs on a refused answer (its own conditions or an ancestor's). */
        private boolean undecidable(ItemDefinition d, Map<String, ItemDefinition> parents) {
            for (ItemDefinition i = d; i != null; i = parents.get(i.linkId())) {
                for (EnableWhen c : i.enableWhen()) {
                    if (invalid.contains(c.question())) {
                        return true;
                    }
                }
            }
            return false;
        }

        private boolean answeredBelow(ItemDefinition group) {
            for (ItemDefinition c : group.children()) {
                if (given.containsKey(c.linkId()) || answeredBelow(c)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Walks the response's items against the definition's tree: an item is known only where the
         * definition puts it (a top-level item, or inside the group it belongs to), once, and in the
         * definition's order.
         */
        private void walk(List<ItemDefinition> level, List<Item> items, String base) {
            if (items == null) {
                return;
            }
            int lastIndex = -1;
            String lastLinkId = null;
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                String pointer = base + "/item/" + i;
                if (item == null || item.linkId() == null || item.linkId().isBlank()) {
                    errors.add(FieldError.at(pointer + "/linkId", "required", "Every item needs a linkId."));
                    continue;
                }
                String linkId = item.linkId();
                int index = indexOf(level, linkId);
                if (index < 0) {
                    errors.add(FieldError.item(
                            pointer + "/linkId",
                            linkId,
                            "unknown-item",
                            "The questionnaire has no item with this linkId at this place."));
                    continue;
                }
                if (pointers.putIfAbsent(linkId, pointer) != null) {
                    errors.add(FieldError.item(pointer, linkId, "duplicate-item", "This item appears more than once."));
                    continue;
                }
                if (index < lastIndex) {
                    errors.add(FieldError.item(
                            pointer,
                            linkId,
                            "out-of-order",
                            "Items must come in the questionnaire's" + " order: this item comes before " + lastLinkId
                                    + "."));
                } else {
                    lastIndex = index;
                    lastLinkId = linkId;
                }
                ItemDefinition d = level.get(index);
                compareText(item.text(), d.text(language), pointer + "/text", linkId);
                List<AnswerValue> values = item.answer() == null ? List.of() : item.answer();
                if (d.type() == ItemType.GROUP) {
                    if (!values.isEmpty()) {
                        errors.add(FieldError.item(
                                pointer + "/answer",
                                linkId,
                                "wrong-type",
                                "This item is a group: its answers are in its nested items."));
                    }
                    walk(d.children(), item.item(), pointer);
                    continue;
                }
                // nothing is nested under a question in the subset: each nested item is unknown at its place
                walk(d.children(), item.item(), pointer);
                if (d.type() == ItemType.DISPLAY) {
                    if (!values.isEmpty()) {
                        errors.add(FieldError.item(
                                pointer + "/answer",
                                linkId,
                                "no-answer-expected",
                                "This item is a display text and takes no answer."));
                    }
                    continue;
                }
                if (values.isEmpty()) {
                    if (d.required()) {
                        errors.add(FieldError.item(
                                pointer + "/answer", linkId, "required", "This required item has no answer."));
                    }
                    continue;
                }
                if (values.size() > 1 && !d.repeats()) {
                    errors.add(FieldError.item(
                            pointer + "/answer", linkId, "multiple-answers", "This item takes exactly one answer."));
                    continue;
                }
                List<Answer> mine = new ArrayList<>(values.size());
                List<Value> raw = new ArrayList<>(values.size());
                for (int a = 0; a < values.size(); a++) {
                    Parsed p = answer(d, values.get(a), pointer + "/answer/" + a);
                    if (p != null) {
                        mine.add(p.answer());
                        raw.add(p.value());
                    }
                }
                if (mine.size() == values.size()) {
                    answers.put(linkId, mine);
                    given.put(linkId, raw);
                    continue;
                }
                invalid.add(linkId);
                if (!raw.isEmpty()) {
                    // an invalid answer among valid ones: still answered as far as enableWhen and
                    // "disabled-item" are concerned, so every problem is listed at once
                    given.put(linkId, raw);
                } else {
                    given.put(linkId, List.of());
                }
            }
        }

        private static int indexOf(List<ItemDefinition> level, String linkId) {
            for (int i = 0; i < level.size(); i++) {
                if (level.get(i).linkId().equals(linkId)) {
                    return i;
                }
            }
            return -1;
        }

        private void compareText(String sent, String defined, String pointer, String linkId) {
            if (sent == null || defined == null) {
                return;
            }
            if (!normal(sent).equals(normal(defined))) {
                textDiffers.add(linkId);
                warnings.add(FieldError.item(
                        pointer,
                        linkId,
                        "text-differs",
                        "The text sent differs from the questionnaire's; the questionnaire's text is stored."));
            }
        }

        private static String normal(String s) {
            return Normalizer.normalize(s.strip().replaceAll("\\s+", " "), Normalizer.Form.NFC);
        }

        private record Parsed(Answer answer, Value value) {}

        private Parsed answer(ItemDefinition d, AnswerValue v, String pointer) {
            String linkId = d.linkId();
            if (v == null || v.valueCount() != 1) {
                errors.add(FieldError.item(
                        pointer,
                        linkId,
                        "wrong-type",
                        "An answer carries exactly one " + d.type().valueField() + "."));
                return null;
            }
            if (v.item() != null && !v.item().isEmpty()) {
                errors.add(FieldError.item(
                        pointer + "/item",
                        linkId,
                        "unknown-item",
                        "This questionnaire has no items nested under answers."));
                return null;
            }
            String field = pointer + "/" + d.type().valueField();
            return switch (d.type()) {
                case CHOICE -> v.valueCoding() == null ? wrongType(d, pointer) : coding(d, v, field);
                case OPEN_CHOICE -> {
                    if (v.valueCoding() != null) {
                        yield coding(d, v, field);
                    }
                    if (v.valueString() == null) {
                        errors.add(FieldError.item(
                                pointer,
                                linkId,
                                "wrong-type",
                                "This item is answered with valueCoding (an option) or valueString (other)."));
                        yield null;
                    }
                    yield text(d, v.valueString(), pointer + "/valueString");
                }
                case INTEGER, DECIMAL -> {
                    BigDecimal n = d.type() == ItemType.INTEGER ? v.valueInteger() : v.valueDecimal();
                    if (n == null) {
                        yield wrongType(d, pointer);
                    }
                    if (d.type() == ItemType.INTEGER
                            && (n.scale() > 0 || n.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
                        errors.add(FieldError.item(field, linkId, "not-integer", "The answer must be a whole number."));
                        yield null;
                    }
                    if ((d.minValue() != null && n.compareTo(d.minValue()) < 0)
                            || (d.maxValue() != null && n.compareTo(d.maxValue()) > 0)) {
                        errors.add(FieldError.item(field, linkId, "out-of-range", rangeText(d)));
                        yield null;
                    }
                    yield new Parsed(
                            Answer.number(linkId, d.type(), n), new Value.Number(n, d.type() == ItemType.INTEGER));
                }
                case QUANTITY -> {
                    var q = v.valueQuantity();
                    if (q == null) {
                        yield wrongType(d, pointer);
                    }
                    if (q.value() == null) {
                        errors.add(FieldError.item(field + "/value", linkId, "required", "A quantity needs a value."));
                        yield null;
                    }
                    yield new Parsed(
                            Answer.quantity(linkId, q.value(), q.unit(), q.system(), q.code()),
                            new Value.Quantity(q.value(), q.unit(), q.system(), q.code()));
                }
                case STRING, TEXT -> v.valueString() == null ? wrongType(d, pointer) : text(d, v.valueString(), field);
                case BOOLEAN ->
                    v.valueBoolean() == null
                            ? wrongType(d, pointer)
                            : new Parsed(Answer.bool(linkId, v.valueBoolean()), new Value.Bool(v.valueBoolean()));
                case DATE -> {
                    if (v.valueDate() == null) {
                        yield wrongType(d, pointer);
                    }
                    LocalDate date = DATE.matcher(v.valueDate()).matches() ? parseDate(v.valueDate()) : null;
                    if (date == null) {
                        errors.add(FieldError.item(
                                field, linkId, "invalid-date", "The answer must be a date YYYY-MM-DD."));
                        yield null;
                    }
                    yield new Parsed(Answer.text(linkId, d.type(), v.valueDate()), new Value.Date(date));
                }
                case DATETIME -> {
                    if (v.valueDateTime() == null) {
                        yield wrongType(d, pointer);
                    }
                    OffsetDateTime at =
                            DATE_TIME_WITH_OFFSET.matcher(v.valueDateTime()).matches()
                                    ? parseDateTime(v.valueDateTime())
                                    : null;
                    if (at == null) {
                        errors.add(FieldError.item(
                                field,
                                linkId,
                                "invalid-datetime",
                                "The answer must be a date-time with a UTC offset."));
                        yield null;
                    }
                    yield new Parsed(
                            Answer.text(linkId, d.type(), v.valueDateTime()),
                            new Value.DateTime(at, v.valueDateTime()));
                }
                case TIME -> {
                    if (v.valueTime() == null) {
                        yield wrongType(d, pointer);
                    }
                    LocalTime t = TIME.matcher(v.valueTime()).matches() ? parseTime(v.valueTime()) : null;
                    if (t == null) {
                        errors.add(
                                FieldError.item(field, linkId, "invalid-time", "The answer must be a time hh:mm:ss."));
                        yield null;
                    }
                    yield new Parsed(Answer.text(linkId, d.type(), v.valueTime()), new Value.Time(t, v.valueTime()));
                }
                case DISPLAY, GROUP -> {
                    errors.add(FieldError.item(pointer, linkId, "no-answer-expected", "This item takes no answer."));
                    yield null;
                }
            };
        }

        private Parsed coding(ItemDefinition d, AnswerValue v, String field) {
            String linkId = d.linkId();
            var coding = v.valueCoding();
            if (coding.code() == null) {
                errors.add(FieldError.item(
                        field, linkId, "not-allowed", "The answer is not one of this item's answerOptions."));
                return null;
            }
            if (coding.system() == null) {
                errors.add(FieldError.item(
                        field + "/system",
                        linkId,
                        d.hasCode(coding.code()) ? "system-required" : "not-allowed",
                        "A coding answer must carry the system of one of this item's answerOptions."));
                return null;
            }
            AnswerOption o = d.option(coding.system(), coding.code()).orElse(null);
            if (o == null) {
                errors.add(FieldError.item(
                        field, linkId, "not-allowed", "The answer is not one of this item's answerOptions."));
                return null;
            }
            if (coding.display() != null
                    && o.display(language) != null
                    && !normal(coding.display()).equals(normal(o.display(language)))) {
                textDiffers.add(linkId);
                warnings.add(FieldError.item(
                        field + "/display",
                        linkId,
                        "display-differs",
                        "The display sent differs from the option's; the option's display is stored."));
            }
            return new Parsed(
                    Answer.coding(linkId, d.type(), o.system(), o.code(), o.display(), o.ordinal()), o.coding());
        }

        private Parsed text(ItemDefinition d, String raw, String field) {
            String linkId = d.linkId();
            String text = Normalizer.normalize(raw, Normalizer.Form.NFC);
            int max = d.maxLength() != null ? d.maxLength() : DEFAULT_MAX_TEXT;
            if (text.isBlank()) {
                errors.add(FieldError.item(field, linkId, "empty", "The answer is empty."));
                return null;
            }
            if (text.codePointCount(0, text.length()) > max) {
                errors.add(FieldError.item(
                        field, linkId, "too-long", "The answer is longer than " + max + " characters."));
                return null;
            }
            return new Parsed(Answer.text(linkId, d.type(), text), new Value.Text(text));
        }

        private Parsed wrongType(ItemDefinition d, String pointer) {
            errors.add(FieldError.item(
                    pointer,
                    d.linkId(),
                    "wrong-type",
                    "This item is answered with " + d.type().valueField() + "."));
            return null;
        }

        private static List<Value> initialValues(ItemDefinition d) {
            if (!d.initial().isEmpty()) {
                return d.initial();
            }
            return d.options().stream()
                    .filter(AnswerOption::initialSelected)
                    .map(o -> (Value) o.coding())
                    .toList();
        }

        private static boolean sameValues(List<Value> a, List<Value> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!Value.same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    static String rangeText(ItemDefinition d) {
        if (d.minValue() == null) {
            return "The answer must be at most " + d.maxValue().toPlainString() + ".";
        }
        if (d.maxValue() == null) {
            return "The answer must be at least " + d.minValue().toPlainString() + ".";
        }
        return "The answer must lie between " + d.minValue().toPlainString() + " and "
                + d.maxValue().toPlainString() + ".";
    }

    private static LocalDate parseDate(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static OffsetDateTime parseDateTime(String s) {
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static LocalTime parseTime(String s) {
        try {
            return LocalTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
