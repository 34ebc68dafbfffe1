package org.openepro.export.format;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.openepro.core.questionnaire.AnswerOption;
import org.openepro.core.questionnaire.EnableWhenText;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.ScoreBand;
import org.openepro.core.questionnaire.ScoreDefinition;

/**
 * What every variable of an export means: one entry per report column, item and score, with its text,
 * type, allowed values (codes with their labels and scores), scoring and questionnaire versions. The one
 * source of every format's dictionary: the {@code dictionary.csv} next to any export, the xlsx sheet, the
 * file in a zip package and the statistics packages' labels all come from here. Variable names are the
 * wide layout's column names (a linkId, qualified {@code questionnaire/linkId} only when two exported
 * questionnaires share it); {@code linkId} is what the per-questionnaire columns and the long layout's
 * {@code item} column carry.
 */
public final class DataDictionary {
    /** The file name of the dictionary wherever it travels as CSV. */
    public static final String CSV_NAME = "dictionary.csv";

    static final List<String> HEADER = List.of(
            "variable",
            "source",
            "questionnaire",
            "questionnaireVersions",
            "linkId",
            "text",
            "type",
            "allowedValues",
            "scoring",
            "enableWhen");

    /**
     * One variable.
     *
     * @param source         report, item or score
     * @param versions       the exported versions of the questionnaire that define it, joined by a space
     * @param allowedValues  {@code code = label [score n]} for each option, or a range
     * @param options        a choice item's options in order (empty otherwise)
     * @param enableWhen     when the item is asked, in words ({@link EnableWhenText}); null for what is not an item
     */
    public record Entry(
            String variable,
            String source,
            String questionnaireId,
            String versions,
            String linkId,
            String text,
            String type,
            String allowedValues,
            String scoring,
            Column column,
            List<AnswerOption> options,
            BigDecimal minValue,
            BigDecimal maxValue,
            String enableWhen) {
        public Entry {
            options = List.copyOf(options);
        }

        /** A variable that is not a questionnaire item: no questionnaire, link id, scoring, options or bounds. */
        static Entry fixed(
                String variable, String source, String text, String type, String allowedValues, Column column) {
            return new Entry(
                    variable,
                    source,
                    null,
                    null,
                    null,
                    text,
                    type,
                    allowedValues,
                    null,
                    column,
                    List.of(),
                    null,
                    null,
                    null);
        }

        public List<String> cells() {
            return java.util.Arrays.asList(
                    variable,
                    source,
                    questionnaireId,
                    versions,
                    linkId,
                    text,
                    type,
                    allowedValues,
                    scoring,
                    enableWhen);
        }
    }

    private final List<Entry> entries;

    private DataDictionary(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The dictionary of an export's layout (whatever its shape: it describes the same variables). */
    public static DataDictionary of(ExportLayout layout) {
        ExportLayout wide = layout.shape() == TableLayout.WIDE
                ? layout
                : ExportLayout.of(layout.definitions(), layout.profile(), layout.labels(), TableLayout.WIDE);
        Map<String, List<String>> versions = new LinkedHashMap<>();
        for (QuestionnaireDefinition q : wide.definitions()) {
            versions.computeIfAbsent(q.id(), k -> new ArrayList<>()).add(q.version());
        }
        List<Entry> entries = new ArrayList<>();
        for (Column c : layout.columns()) {
            if (c.kind() != Column.Kind.ITEM
                    && c.kind() != Column.Kind.SCORE
                    && c.kind() != Column.Kind.ITEM_BRANCH_SKIPPED) {
                entries.add(Entry.fixed(
                        c.name(),
                        "report",
                        c.description(),
                        c.type().name().toLowerCase(java.util.Locale.ROOT),
                        null,
                        c));
            }
        }
        for (Column c : wide.columns()) {
            String v = String.join(" ", versions.getOrDefault(c.questionnaireId(), List.of()));
            if (c.kind() == Column.Kind.ITEM) {
                ItemDefinition item = c.item();
                entries.add(new Entry(
                        c.name(),
                        "item",
                        c.questionnaireId(),
                        v,
                        item.linkId(),
                        item.text(),
                        item.type().fhirCode(),
                        allowedValues(item),
                        scoringOf(wide, c.questionnaireId(), item),
                        c,
                        item.options(),
                        item.minValue(),
                        item.maxValue(),
                        enableWhen(wide, c.questionnaireId(), item.linkId())));
            } else if (c.kind() == Column.Kind.ITEM_BRANCH_SKIPPED) {
                entries.add(new Entry(
                        c.name(),
                        "branch-skipped flag",
                        c.questionnaireId(),
                        v,
                        c.item().linkId(),
                        c.description(),
                        "boolean",
                        "true = not asked, value recorded for the skip; false = answered",
                        null,
                        c,
                        List.of(),
                        null,
                        null,
                        enableWhen(wide, c.questionnaireId(), c.item().linkId())));
            } else if (c.kind() == Column.Kind.SCORE) {
                ScoreDefinition s = c.score();
                entries.add(new Entry(
                        c.name(),
                        "score",
                        c.questionnaireId(),
                        v,
                        null,
                        s.title(),
                        c.type() == ValueType.TEXT ? "string" : "decimal",
                        scoreRange(s),
                        scoreMethod(s),
                        c,
                        List.of(),
                        s.min() == null ? null : BigDecimal.valueOf(s.min()),
                        s.max() == null ? null : BigDecimal.valueOf(s.max()),
                        null));
            }
        }
        return new DataDictionary(entries);
    }

    /** A dictionary of fixed columns (a format whose file is not made of report variables: the audit trail). */
    static DataDictionary ofColumns(String source, List<String[]> columns) {
        List<Entry> entries = new ArrayList<>();
        for (String[] c : columns) {
            entries.add(Entry.fixed(c[0], source, c[2], c[1], c.length > 3 ? c[3] : null, null));
        }
        return new DataDictionary(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entries of one questionnaire's items and scores. */
    public List<Entry> entriesOf(String questionnaireId) {
        return entries.stream()
                .filter(e -> questionnaireId.equals(e.questionnaireId()))
                .toList();
    }

    /** The item's enableWhen in words, from the newest exported version that has the item (the column's own). */
    private static String enableWhen(ExportLayout wide, String questionnaireId, String linkId) {
        QuestionnaireDefinition newest = null;
        for (QuestionnaireDefinition q : wide.definitions()) {
            if (q.id().equals(questionnaireId) && q.item(linkId).isPresent()) {
                newest = q;
            }
        }
        return newest == null ? null : EnableWhenText.describe(newest, linkId);
    }

    private static String allowedValues(ItemDefinition item) {
        if (!item.options().isEmpty()) {
            StringJoiner j = new StringJoiner("; ");
            for (AnswerOption o : item.options()) {
                j.add(o.code() + " = " + o.display()
                        + (o.ordinal() == null ? "" : " [score " + o.ordinal().toPlainString() + "]"));
            }
            return j.toString();
        }
        if (item.minValue() != null || item.maxValue() != null) {
            return (item.minValue() == null ? "" : item.minValue().toPlainString()) + ".."
                    + (item.maxValue() == null ? "" : item.maxValue().toPlainString());
        }
        if (item.maxLength() != null) {
            return "text of at most " + item.maxLength() + " characters";
        }
        return null;
    }

    /** Which scores the item counts in, as the questionnaire defines them. */
    private static String scoringOf(ExportLayout wide, String questionnaireId, ItemDefinition item) {
        StringJoiner j = new StringJoiner("; ");
        Map<String, ScoreDefinition> scores = wide.scoreDefinitions().getOrDefault(questionnaireId, Map.of());
        for (ScoreDefinition s : scores.values()) {
            if (s.linkIds().contains(item.linkId())) {
                j.add("counts in " + questionnaireId + ".score." + s.id() + " ("
                        + s.method().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
        }
        return j.length() == 0 ? null : j.toString();
    }

    private static String scoreRange(ScoreDefinition s) {
        StringJoiner j = new StringJoiner("; ");
        if (s.min() != null || s.max() != null) {
            j.add((s.min() == null ? "" : s.min().toString()) + ".."
                    + (s.max() == null ? "" : s.max().toString()));
        }
        for (ScoreBand b : s.bands()) {
            j.add(b.min() + "-" + b.max() + " = " + b.display());
        }
        return j.length() == 0 ? null : j.toString();
    }

    private static String scoreMethod(ScoreDefinition s) {
        return s.method().name().toLowerCase(java.util.Locale.ROOT) + " of " + String.join(", ", s.linkIds());
    }

    /** RFC 4180 CSV, UTF-8, CRLF, a header row; text guarded against formula injection as in the data. */
    public void writeCsv(OutputStream out) throws IOException {
        StringBuilder b = new StringBuilder();
        row(b, HEADER);
        for (Entry e : entries) {
            row(b, e.cells());
        }
        out.write(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The dictionary as CSV bytes. */
    public byte[] csv() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            writeCsv(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void row(StringBuilder b, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String v = cells.get(i);
            if (v == null) {
                continue;
            }
            String guarded = FormulaGuard.guarded(v);
            boolean quote = !guarded.equals(v)
                    || v.indexOf(',') >= 0
                    || v.indexOf('"') >= 0
                    || v.indexOf('\n') >= 0
                    || v.indexOf('\r') >= 0;
            if (quote) {
                b.append('"').append(guarded.replace("\"", "\"\"")).append('"');
            } else {
                b.append(v);
            }
        }
        b.append("\r\n");
    }
}
