package org.openepro.export.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.ItemType;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.ScoreDefinition;
import org.openepro.core.questionnaire.ScoreMethod;
import org.openepro.export.profile.Profile;

/**
 * The columns of an export, fixed before the first row is written (a streamed file cannot go
 * back to widen its header): report columns, then one column per answerable item of every
 * exported questionnaire (all packaged versions), then one per score. The profile decides what
 * is left out: free-text items and report ids when de-identified, and dates become study days.
 * Immutable; built once per export.
 */
public final class ExportLayout {
    private final List<Column> columns;
    private final Profile profile;
    private final boolean labels;
    private final Map<String, Map<String, Integer>> itemIndex;
    private final Map<String, Map<String, Integer>> scoreIndex;
    private final int[] fixedIndex = new int[Column.Kind.values().length];

    private ExportLayout(List<Column> columns, Profile profile, boolean labels) {
        this.columns = List.copyOf(columns);
        this.profile = profile;
        this.labels = labels;
        this.itemIndex = new HashMap<>();
        this.scoreIndex = new HashMap<>();
        java.util.Arrays.fill(fixedIndex, -1);
        for (int i = 0; i < this.columns.size(); i++) {
            Column c = this.columns.get(i);
            switch (c.kind()) {
                case ITEM -> itemIndex.computeIfAbsent(c.questionnaireId(), k -> new HashMap<>()).put(c.item().linkId(), i);
                case SCORE -> scoreIndex.computeIfAbsent(c.questionnaireId(), k -> new HashMap<>()).put(c.score().id(), i);
                default -> fixedIndex[c.kind().ordinal()] = i;
            }
        }
    }

    /**
     * The layout for these questionnaire definitions (every version of each exported questionnaire).
     *
     * @param labels write the answer option's display text instead of its code
     */
    public static ExportLayout of(Collection<QuestionnaireDefinition> definitions, Profile profile, boolean labels) {
        List<Column> columns = new ArrayList<>();
        if (profile.keepsReportIds()) {
            columns.add(Column.fixed("reportId", Column.Kind.REPORT_ID, ValueType.TEXT));
        }
        columns.add(Column.fixed("version", Column.Kind.VERSION, ValueType.INTEGER));
        columns.add(Column.fixed("status", Column.Kind.STATUS, ValueType.TEXT));
        columns.add(Column.fixed(profile.pseudonymous() ? "pseudonym" : "subjectId", Column.Kind.SUBJECT, ValueType.TEXT));
        columns.add(Column.fixed("siteId", Column.Kind.SITE, ValueType.TEXT));
        columns.add(Column.fixed("questionnaire", Column.Kind.QUESTIONNAIRE, ValueType.TEXT));
        columns.add(Column.fixed("questionnaireVersion", Column.Kind.QUESTIONNAIRE_VERSION, ValueType.TEXT));
        if (profile.studyDays()) {
            columns.add(Column.fixed("authoredDay", Column.Kind.AUTHORED_DAY, ValueType.INTEGER));
            columns.add(Column.fixed("receivedDay", Column.Kind.RECEIVED_DAY, ValueType.INTEGER));
        } else {
            columns.add(Column.fixed("authoredAt", Column.Kind.AUTHORED_AT, ValueType.DATETIME));
            columns.add(Column.fixed("receivedAt", Column.Kind.RECEIVED_AT, ValueType.DATETIME));
        }
        columns.add(Column.fixed("onTime", Column.Kind.ON_TIME, ValueType.BOOLEAN));

        // one column per (questionnaire id, linkId), the newest version's definition describing it
        Map<String, Map<String, ItemDefinition>> items = new LinkedHashMap<>();
        Map<String, Map<String, ScoreDefinition>> scores = new LinkedHashMap<>();
        Map<String, Integer> linkIdUse = new HashMap<>();
        for (QuestionnaireDefinition q : definitions) {
            Map<String, ItemDefinition> qItems = items.computeIfAbsent(q.id(), k -> new LinkedHashMap<>());
            for (ItemDefinition item : answerable(q.items())) {
                if (profile.dropsFreeText() && item.type().freeText()) {
                    continue;
                }
                if (qItems.put(item.linkId(), item) == null) {
                    linkIdUse.merge(item.linkId(), 1, Integer::sum);
                }
            }
            Map<String, ScoreDefinition> qScores = scores.computeIfAbsent(q.id(), k -> new LinkedHashMap<>());
            for (ScoreDefinition s : q.scores()) {
                qScores.put(s.id(), s);
            }
        }
        items.forEach((qid, qItems) -> qItems.values().forEach(item -> columns.add(new Column(
                linkIdUse.get(item.linkId()) > 1 ? qid + "/" + item.linkId() : item.linkId(),
                Column.Kind.ITEM, itemType(item.type(), profile, labels), qid, item, null))));
        scores.forEach((qid, qScores) -> qScores.values().forEach(s -> columns.add(new Column(
                qid + ".score." + s.id(), Column.Kind.SCORE,
                s.method() == ScoreMethod.PROFILE ? ValueType.TEXT : ValueType.NUMBER, qid, null, s))));
        return new ExportLayout(columns, profile, labels);
    }

    private static List<ItemDefinition> answerable(List<ItemDefinition> items) {
        List<ItemDefinition> out = new ArrayList<>();
        for (ItemDefinition item : items) {
            if (item.type().answerable()) {
                out.add(item);
            }
            out.addAll(answerable(item.children()));
        }
        return out;
    }

    private static ValueType itemType(ItemType type, Profile profile, boolean labels) {
        return switch (type) {
            case CHOICE, OPEN_CHOICE, STRING, TEXT, TIME -> ValueType.TEXT;
            case INTEGER -> ValueType.INTEGER;
            case DECIMAL, QUANTITY -> ValueType.NUMBER;
            case BOOLEAN -> ValueType.BOOLEAN;
            case DATE -> profile.studyDays() ? ValueType.INTEGER : ValueType.DATE;
            case DATETIME -> profile.studyDays() ? ValueType.INTEGER : ValueType.DATETIME;
            case DISPLAY, GROUP -> throw new IllegalArgumentException("not answerable");
        };
    }

    public List<Column> columns() {
        return columns;
    }

    public int size() {
        return columns.size();
    }

    public Profile profile() {
        return profile;
    }

    public boolean labels() {
        return labels;
    }

    /** The column of a fixed kind, or -1 when this layout leaves it out. */
    public int fixed(Column.Kind kind) {
        return fixedIndex[kind.ordinal()];
    }

    /** The columns of one questionnaire's items by linkId (empty for a questionnaire not in the layout). */
    Map<String, Integer> items(String questionnaireId) {
        Map<String, Integer> q = itemIndex.get(questionnaireId);
        return q == null ? Map.of() : q;
    }

    Map<String, Integer> scores(String questionnaireId) {
        Map<String, Integer> q = scoreIndex.get(questionnaireId);
        return q == null ? Map.of() : q;
    }

    /** The item's column, or -1 (an item of a version this build does not package). */
    public int item(String questionnaireId, String linkId) {
        Map<String, Integer> q = itemIndex.get(questionnaireId);
        Integer i = q == null ? null : q.get(linkId);
        return i == null ? -1 : i;
    }

    public int score(String questionnaireId, String scoreId) {
        Map<String, Integer> q = scoreIndex.get(questionnaireId);
        Integer i = q == null ? null : q.get(scoreId);
        return i == null ? -1 : i;
    }
}
