package org.openepro.core.questionnaire;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An item's enableWhen in words, for a data dictionary: "Asked when 'pain-frequency' (In the last
 * 7 days, how OFTEN did you have PAIN?) is not Never [never]". Codes are shown next to displays so a
 * reader can match them to the data; a disabled group's effect on its items is said too.
 */
public final class EnableWhenText {
    private EnableWhenText() {}

    /** The conditions under which {@code linkId} is asked; "Always asked" when it has none (nor its groups). */
    public static String describe(QuestionnaireDefinition definition, String linkId) {
        Map<String, ItemDefinition> parents = definition.parents();
        Map<String, ItemDefinition> all = new HashMap<>();
        for (ItemDefinition i : definition.allItems()) {
            all.put(i.linkId(), i);
        }
        ItemDefinition item = all.get(linkId);
        if (item == null) {
            throw new IllegalArgumentException("no item " + linkId);
        }
        List<String> parts = new ArrayList<>();
        if (item.conditional()) {
            parts.add(conditions(item, all));
        }
        for (ItemDefinition p = parents.get(linkId); p != null; p = parents.get(p.linkId())) {
            if (p.conditional()) {
                parts.add("its group '" + p.linkId() + "' is asked, which is when " + conditions(p, all));
            }
        }
        String text = parts.isEmpty() ? "Always asked" : "Asked when " + String.join("; and ", parts);
        if (item.branchSkippedOption().isPresent()) {
            AnswerOption o = item.branchSkippedOption().get();
            text += ". When not asked it is recorded as " + o.display() + " [" + o.code() + "]"
                    + (o.ordinal() == null
                            ? ""
                            : ", score " + o.ordinal().stripTrailingZeros().toPlainString())
                    + ", flagged branch-skipped";
        }
        return text + ".";
    }

    private static String conditions(ItemDefinition item, Map<String, ItemDefinition> all) {
        List<String> each = new ArrayList<>();
        for (EnableWhen c : item.enableWhen()) {
            each.add(condition(c, all.get(c.question())));
        }
        if (each.size() == 1) {
            return each.get(0);
        }
        String joiner = item.enableBehavior() == EnableBehavior.ANY ? "any of: " : "all of: ";
        return joiner + String.join(", ", each);
    }

    private static String condition(EnableWhen c, ItemDefinition question) {
        String q = "'" + c.question() + "'"
                + (question == null || question.text().isBlank() ? "" : " (" + question.text() + ")");
        if (c.operator() == EnableOperator.EXISTS) {
            return q + (((Value.Bool) c.answer()).value() ? " is answered" : " is not answered");
        }
        return q + " " + c.operator().words() + " " + value(c.answer(), question);
    }

    private static String value(Value v, ItemDefinition question) {
        return switch (v) {
            case Value.Coding coding -> {
                String display = question == null
                        ? null
                        : question.option(coding.system(), coding.code())
                                .map(AnswerOption::display)
                                .orElse(coding.display());
                yield (display == null ? "" : display + " ") + "[" + coding.code() + "]";
            }
            case Value.Number n -> n.value().stripTrailingZeros().toPlainString();
            case Value.Bool b -> Boolean.toString(b.value());
            case Value.Text t -> "\"" + t.value() + "\"";
            case Value.Date d -> d.value().toString();
            case Value.DateTime dt -> dt.lexical();
            case Value.Time t -> t.lexical();
            case Value.Quantity q ->
                q.value().stripTrailingZeros().toPlainString()
                        + (q.unit() != null ? " " + q.unit() : q.code() != null ? " " + q.code() : "");
        };
    }
}
