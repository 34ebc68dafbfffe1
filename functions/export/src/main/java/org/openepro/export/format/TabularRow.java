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

    public TabularRow(ExportLayout layout) {
        this.layout = layout;
        this.values = new Object[layout.size()];
        this.present = new long[(layout.size() + 63) >>> 6];
    }

    public TabularRow fill(ExportRecord r) {
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
        set(Column.Kind.AUTHORED_DAY, r.authoredDay());
        set(Column.Kind.RECEIVED_AT, r.receivedAt());
        set(Column.Kind.RECEIVED_DAY, r.receivedDay());
        set(Column.Kind.ON_TIME, r.onTime());
        String qid = r.questionnaireId();
        if (!qid.equals(lastQuestionnaire)) {
            lastQuestionnaire = qid;
            items = layout.items(qid);
            scores = layout.scores(qid);
        }
        java.util.List<Answer> answers = r.answers();
        for (int a = 0; a < answers.size(); a++) {
            Answer answer = answers.get(a);
            Integer i = items.get(answer.linkId());
            if (i != null) {
                put(i, cell(answer));
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

    private Object cell(Answer a) {
        return switch (a.type()) {
            case CHOICE -> layout.labels() && a.display() != null ? a.display() : a.code();
            // an open-choice answer is an option's code, or the free text typed instead
            case OPEN_CHOICE -> a.code() == null ? a.text() : layout.labels() && a.display() != null ? a.display() : a.code();
            case INTEGER, DECIMAL, QUANTITY -> a.number();
            case TIME -> a.text();
            case BOOLEAN -> a.bool();
            case DATE, DATETIME -> a.text() != null ? a.text() : a.number() == null ? null : a.number().intValue();
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
