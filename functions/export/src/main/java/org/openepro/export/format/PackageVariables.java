package org.openepro.export.format;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.ItemType;

/**
 * The variables of a statistics package, one per column of the wide layout, in the terms SPSS, SAS, Stata
 * and R share: a name all four accept (letters, digits and '_', starting with a letter, at most 32
 * characters, unique), a label (the item's text), a storage type, and value labels. A choice item whose
 * options each carry a distinct published score is stored as that score (numeric, labelled with the
 * options' displays); any other choice keeps its code as text, labelled by display. Booleans are 1/0.
 * Built from the {@link DataDictionary}, so a package says what every other format's dictionary says.
 */
final class PackageVariables {
    /** How a variable is stored in the package's CSV and read by the syntax. */
    enum Storage {
        INTEGER,
        DECIMAL,
        TEXT
    }

    /** One value label: the stored value (a number or a code) and its text. */
    record ValueLabel(String value, String label) {}

    /**
     * @param column    the wide layout's column
     * @param width     the widest text it may hold (bytes; text storage only)
     * @param scored    a choice stored as its options' scores
     */
    record Variable(
            String name,
            String label,
            Storage storage,
            int width,
            List<ValueLabel> valueLabels,
            Column column,
            boolean scored,
            List<AnswerOption> options) {}

    static final int MAX_NAME = 32;
    private static final int DEFAULT_TEXT_WIDTH = 255;

    private final List<Variable> variables;

    private PackageVariables(List<Variable> variables) {
        this.variables = List.copyOf(variables);
    }

    static PackageVariables of(ExportLayout wide) {
        DataDictionary dictionary = DataDictionary.of(wide);
        Set<String> used = new HashSet<>();
        List<Variable> out = new ArrayList<>();
        for (DataDictionary.Entry e : dictionary.entries()) {
            Column c = e.column();
            String name = unique(name(c.name()), used);
            String label = e.text() == null ? c.name() : e.text();
            switch (c.kind()) {
                case ITEM -> out.add(item(name, label, c, e));
                case SCORE ->
                    out.add(new Variable(
                            name,
                            label,
                            c.type() == ValueType.TEXT ? Storage.TEXT : Storage.DECIMAL,
                            DEFAULT_TEXT_WIDTH,
                            List.of(),
                            c,
                            false,
                            List.of()));
                default ->
                    out.add(new Variable(
                            name, label, storage(c.type()), width(c), booleanLabels(c.type()), c, false, List.of()));
            }
        }
        return new PackageVariables(out);
    }

    private static Variable item(String name, String label, Column c, DataDictionary.Entry e) {
        ItemType type = c.item().type();
        if (type == ItemType.CHOICE) {
            List<AnswerOption> options = e.options();
            if (scored(options)) {
                List<ValueLabel> labels = new ArrayList<>();
                for (AnswerOption o : options) {
                    labels.add(new ValueLabel(o.ordinal().stripTrailingZeros().toPlainString(), display(o)));
                }
                boolean integral = options.stream()
                        .allMatch(o -> o.ordinal().stripTrailingZeros().scale() <= 0);
                return new Variable(
                        name, label, integral ? Storage.INTEGER : Storage.DECIMAL, 0, labels, c, true, options);
            }
            List<ValueLabel> labels = new ArrayList<>();
            int width = 1;
            for (AnswerOption o : options) {
                labels.add(new ValueLabel(o.code(), display(o)));
                width = Math.max(width, o.code().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            }
            return new Variable(name, label, Storage.TEXT, width, labels, c, false, options);
        }
        return switch (c.type()) {
            case INTEGER -> new Variable(name, label, Storage.INTEGER, 0, List.of(), c, false, List.of());
            case NUMBER -> new Variable(name, label, Storage.DECIMAL, 0, List.of(), c, false, List.of());
            case BOOLEAN ->
                new Variable(name, label, Storage.INTEGER, 0, booleanLabels(ValueType.BOOLEAN), c, false, List.of());
            default ->
                new Variable(
                        name,
                        label,
                        Storage.TEXT,
                        c.item().maxLength() != null ? Math.min(32_767, c.item().maxLength() * 4) : width(c),
                        List.of(),
                        c,
                        false,
                        List.of());
        };
    }

    /** Every option has a score and no two share one: the score can stand for the answer. */
    private static boolean scored(List<AnswerOption> options) {
        Set<BigDecimal> seen = new HashSet<>();
        for (AnswerOption o : options) {
            if (o.ordinal() == null || !seen.add(o.ordinal().stripTrailingZeros())) {
                return false;
            }
        }
        return !options.isEmpty();
    }

    private static String display(AnswerOption o) {
        return o.display() != null ? o.display() : o.code();
    }

    private static List<ValueLabel> booleanLabels(ValueType type) {
        return type == ValueType.BOOLEAN
                ? List.of(new ValueLabel("0", "false"), new ValueLabel("1", "true"))
                : List.of();
    }

    private static Storage storage(ValueType type) {
        return switch (type) {
            case INTEGER, BOOLEAN -> Storage.INTEGER;
            case NUMBER -> Storage.DECIMAL;
            default -> Storage.TEXT;
        };
    }

    private static int width(Column c) {
        return switch (c.kind()) {
            case REPORT_ID -> 36;
            case AUTHORED_AT, RECEIVED_AT -> 24;
            case AUTHORED_OFFSET -> 6;
            case STATUS -> 16;
            case SUBJECT, SITE, QUESTIONNAIRE, QUESTIONNAIRE_VERSION -> 64;
            default -> c.type() == ValueType.DATE ? 10 : c.type() == ValueType.DATETIME ? 35 : DEFAULT_TEXT_WIDTH;
        };
    }

    /** Letters, digits and '_' only, a letter first, at most {@value #MAX_NAME} characters. */
    static String name(String column) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < column.length(); i++) {
            char c = column.charAt(i);
            b.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        String n = b.toString();
        if (n.isEmpty() || !Character.isLetter(n.charAt(0))) {
            n = "i" + n;
        }
        return n.length() > MAX_NAME ? n.substring(0, MAX_NAME) : n;
    }

    private static String unique(String name, Set<String> used) {
        String n = name;
        for (int i = 2; !used.add(n.toLowerCase(Locale.ROOT)); i++) {
            String suffix = "_" + i;
            n = (name.length() + suffix.length() > MAX_NAME ? name.substring(0, MAX_NAME - suffix.length()) : name)
                    + suffix;
        }
        return n;
    }

    List<Variable> variables() {
        return variables;
    }
}
