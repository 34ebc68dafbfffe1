package org.openepro.export.format;

import java.util.Arrays;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Score;

/**
 * One export record spread over the layout's columns, reused from row to row by a writer (no
 * per-row array). Values are String (text, codes, labels, ISO dates), BigDecimal (numbers),
 * Integer (versions, study days), Boolean, or Instant (date-times); null for an empty cell.
 * Not thread-safe.
 */
public final class TabularRow {
    private final ExportLayout layout;
    private final Object[] values;
    // which cells hold a value, so a row is cleared and walked in the order of its filled cells only
    private final long[] present;
    // rows come in runs of the same questionnaire: resolve its column maps once per run
    private String lastQuestionnaire;
    private java.util.Map<String, Integer> items = java.util.Map.of();
    private java.util.Map<String, Integer> scores = java.util.Map.of();
    private java.util.Map<String, Integer> skipFlags = java.util.Map.of();

    public TabularRow(ExportLayout layout) {
        this.layout = layout;
        this.values = new Object[layout.size()];
        this.present = new long[(layout.size() + 63) >>> 6];
    }

    /** How many rows the record makes in this layout: one, or one per answer and score in the long layout. */
    public int rows(ExportRecord r) {
        return layout.rowsOf(r);
    }

    /** The record's only row (wide and per-questionnaire layouts), or its first (long). */
    public TabularRow fill(ExportRecord r) {
        return fill(r, 0);
    }

    /** The record's row {@code index} (0 up to {@link #rows} - 1). */
    public TabularRow fill(ExportRecord r, int index) {
        for (int i = nextFilled(0); i >= 0; i = nextFilled(i + 1)) {
            values[i] = null;
        }
        Arrays.fill(present, 0L);
        set(Column.Kind.REPORT_ID, r.reportId());
        set(Column.Kind.VERSION, r.version());
        set(Column.Kind.STATUS, r.status());
        set(Column.Kind.SUBJECT, r.subject());
        set(Column.Kind.SITE, r.siteId());
        set(Column.Kind.QUESTIONNAIRE, r.questionnaireId());
        set(Column.Kind.QUESTIONNAIRE_VERSION, r.questionnaireVersion());
        set(Column.Kind.AUTHORED_AT, r.authoredAt());
        set(Column.Kind.AUTHORED_OFFSET, r.authoredOffset());
        set(Column.Kind.AUTHORED_DAY, r.authoredDay());
        set(Column.Kind.RECEIVED_AT, r.receivedAt());
        set(Column.Kind.RECEIVED_DAY, r.receivedDay());
        set(Column.Kind.ON_TIME, r.onTime());
        set(Column.Kind.LANGUAGE, r.language());
        set(Column.Kind.TASK, r.taskId());
        set(Column.Kind.WINDOW_VERDICT, r.windowVerdict());
        String qid = r.questionnaireId();
        if (layout.shape() == TableLayout.LONG) {
            answerRow(r, index);
            return this;
        }
        if (!qid.equals(lastQuestionnaire)) {
            lastQuestionnaire = qid;
            items = layout.items(qid);
            scores = layout.scores(qid);
            skipFlags = layout.branchSkipFlags(qid);
        }
        java.util.List<Answer> answers = r.answers();
        for (int a = 0; a < answers.size(); a++) {
            Answer answer = answers.get(a);
            Integer i = items.get(answer.linkId());
            if (i != null) {
                put(i, cell(answer));
            }
            Integer flag = skipFlags.get(answer.linkId());
            if (flag != null) {
                put(flag, answer.branchSkipped());
            }
        }
        java.util.List<Score> scoreList = r.scores();
        for (int s = 0; s < scoreList.size(); s++) {
            Score score = scoreList.get(s);
            Integer i = scores.get(score.id());
            if (i != null) {
                put(i, score.value() != null ? score.value() : score.profile());
            }
        }
        return this;
    }

    /** The long layout: one answer (or, after the answers, one score) in the answer columns. */
    private void answerRow(ExportRecord r, int index) {
        String qid = r.questionnaireId();
        if (index < r.answers().size()) {
            Answer a = r.answers().get(index);
            set(Column.Kind.ANSWER_ITEM, a.linkId());
            org.openepro.core.questionnaire.ItemDefinition item = layout.itemDefinition(qid, a.linkId());
            set(Column.Kind.ANSWER_TEXT, item == null ? null : item.text());
            set(Column.Kind.ANSWER_TYPE, a.type().fhirCode());
            set(Column.Kind.ANSWER_CODE, a.code());
            set(
                    Column.Kind.ANSWER_VALUE,
                    switch (a.type()) {
                        case CHOICE -> a.number() != null ? a.number() : a.code();
                        default -> cell(a);
                    });
            set(Column.Kind.ANSWER_LABEL, a.display());
            set(Column.Kind.ANSWER_BRANCH_SKIPPED, a.branchSkipped());
            return;
        }
        Score score = r.scores().get(index - r.answers().size());
        set(Column.Kind.ANSWER_ITEM, score.id());
        org.openepro.core.questionnaire.ScoreDefinition def = layout.scoreDefinition(qid, score.id());
        set(Column.Kind.ANSWER_TEXT, def == null ? null : def.title());
        set(Column.Kind.ANSWER_TYPE, "score");
        set(Column.Kind.ANSWER_VALUE, score.value() != null ? score.value() : score.profile());
        set(Column.Kind.ANSWER_LABEL, score.bandDisplay());
    }

    private Object cell(Answer a) {
        return switch (a.type()) {
            case CHOICE -> layout.labels() && a.display() != null ? a.display() : a.code();
            // an open-choice answer is an option's code, or the free text typed instead
            case OPEN_CHOICE ->
                a.code() == null ? a.text() : layout.labels() && a.display() != null ? a.display() : a.code();
            case INTEGER, DECIMAL, QUANTITY -> a.number();
            case TIME -> a.text();
            case BOOLEAN -> a.bool();
            case DATE, DATETIME ->
                a.text() != null
                        ? a.text()
                        : a.number() == null ? null : a.number().intValue();
            case STRING, TEXT -> a.text();
            case DISPLAY, GROUP -> null;
        };
    }

    private void set(Column.Kind kind, Object value) {
        int i = layout.fixed(kind);
        if (i >= 0) {
            put(i, value);
        }
    }

    private void put(int column, Object value) {
        if (value != null) {
            values[column] = value;
            present[column >>> 6] |= 1L << column;
        }
    }

    /** The first column at or after {@code from} that holds a value, or -1: walks a sparse wide row in order. */
    public int nextFilled(int from) {
        int word = from >>> 6;
        if (word >= present.length) {
            return -1;
        }
        long bits = present[word] & (-1L << from);
        while (true) {
            if (bits != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(bits);
            }
            if (++word == present.length) {
                return -1;
            }
            bits = present[word];
        }
    }

    public Object get(int column) {
        return values[column];
    }

    public int size() {
        return values.length;
    }

    public ExportLayout layout() {
        return layout;
    }
}
