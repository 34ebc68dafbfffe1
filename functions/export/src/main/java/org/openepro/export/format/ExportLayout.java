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
    private final TableLayout shape;
    private final List<QuestionnaireDefinition> definitions;
    // per-questionnaire: one wide layout of each questionnaire's own columns, by questionnaire id
    private final Map<String, ExportLayout> tables;
    // the long layout: every item and score by questionnaire id and linkId/score id, to describe a row
    private final Map<String, Map<String, ItemDefinition>> itemDefs;
    private final Map<String, Map<String, ScoreDefinition>> scoreDefs;
    private final Facts facts;

    /**
     * What a sorting export knows once it has read everything, before it writes: for a document that
     * must name them up front (ODM's study, its sites).
     *
     * @param sites the sites the exported reports came from, sorted
     * @param asOf  when the export began reading
     */
    public record Facts(String studyId, List<String> sites, java.time.Instant asOf, String exportId) {
        public Facts {
            sites = List.copyOf(sites);
        }
    }

    private final Map<String, Map<String, Integer>> itemIndex;
    private final Map<String, Map<String, Integer>> scoreIndex;
    private final Map<String, Map<String, Integer>> skipIndex;
    private final int[] fixedIndex = new int[Column.Kind.values().length];

    private ExportLayout(
            List<Column> columns,
            Profile profile,
            boolean labels,
            TableLayout shape,
            Collection<QuestionnaireDefinition> definitions,
            Map<String, ExportLayout> tables,
            Map<String, Map<String, ItemDefinition>> itemDefs,
            Map<String, Map<String, ScoreDefinition>> scoreDefs,
            Facts facts) {
        this.columns = List.copyOf(columns);
        this.profile = profile;
        this.labels = labels;
        this.shape = shape;
        this.definitions = List.copyOf(definitions);
        this.tables = tables;
        this.itemDefs = itemDefs;
        this.scoreDefs = scoreDefs;
        this.facts = facts;
        this.itemIndex = new HashMap<>();
        this.scoreIndex = new HashMap<>();
        this.skipIndex = new HashMap<>();
        java.util.Arrays.fill(fixedIndex, -1);
        for (int i = 0; i < this.columns.size(); i++) {
            Column c = this.columns.get(i);
            switch (c.kind()) {
                case ITEM ->
                    itemIndex
                            .computeIfAbsent(c.questionnaireId(), k -> new HashMap<>())
                            .put(c.item().linkId(), i);
                case ITEM_BRANCH_SKIPPED ->
                    skipIndex
                            .computeIfAbsent(c.questionnaireId(), k -> new HashMap<>())
                            .put(c.item().linkId(), i);
                case SCORE ->
                    scoreIndex
                            .computeIfAbsent(c.questionnaireId(), k -> new HashMap<>())
                            .put(c.score().id(), i);
                default -> fixedIndex[c.kind().ordinal()] = i;
            }
        }
    }

    /**
     * The wide layout for these questionnaire definitions (every version of each exported questionnaire).
     *
     * @param labels write the answer option's display text instead of its code
     */
    public static ExportLayout of(Collection<QuestionnaireDefinition> definitions, Profile profile, boolean labels) {
        return of(definitions, profile, labels, TableLayout.WIDE);
    }

    /**
     * The layout of a request's shape. Per questionnaire, {@link #table(String)} gives each questionnaire's
     * own wide table; long, the columns are the report's and one answer's.
     */
    public static ExportLayout of(
            Collection<QuestionnaireDefinition> definitions, Profile profile, boolean labels, TableLayout shape) {
        List<Column> columns = reportColumns(profile);

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
        Map<String, ExportLayout> tables = Map.of();
        switch (shape) {
            case WIDE -> {
                items.forEach((qid, qItems) -> qItems.values().forEach(item -> {
                    String name = linkIdUse.get(item.linkId()) > 1 ? qid + "/" + item.linkId() : item.linkId();
                    columns.add(new Column(
                            name, Column.Kind.ITEM, itemType(item.type(), profile, labels), qid, item, null));
                    // a skip recorded as an option's value looks like an answer: the flag tells them apart
                    if (item.branchSkippedOption().isPresent()) {
                        columns.add(new Column(
                                name + ".branchSkipped",
                                Column.Kind.ITEM_BRANCH_SKIPPED,
                                ValueType.BOOLEAN,
                                qid,
                                item,
                                null));
                    }
                }));
                scores.forEach((qid, qScores) -> qScores.values()
                        .forEach(s -> columns.add(new Column(
                                qid + ".score." + s.id(),
                                Column.Kind.SCORE,
                                s.method() == ScoreMethod.PROFILE ? ValueType.TEXT : ValueType.NUMBER,
                                qid,
                                null,
                                s))));
            }
            case PER_QUESTIONNAIRE -> {
                Map<String, List<QuestionnaireDefinition>> byId = new LinkedHashMap<>();
                definitions.forEach(q ->
                        byId.computeIfAbsent(q.id(), k -> new ArrayList<>()).add(q));
                Map<String, ExportLayout> t = new LinkedHashMap<>();
                byId.forEach((qid, versions) -> t.put(qid, of(versions, profile, labels, TableLayout.WIDE)));
                tables = java.util.Collections.unmodifiableMap(t);
            }
            case LONG -> {
                columns.add(Column.fixed("item", Column.Kind.ANSWER_ITEM, ValueType.TEXT));
                columns.add(Column.fixed("itemText", Column.Kind.ANSWER_TEXT, ValueType.TEXT));
                columns.add(Column.fixed("type", Column.Kind.ANSWER_TYPE, ValueType.TEXT));
                columns.add(Column.fixed("code", Column.Kind.ANSWER_CODE, ValueType.TEXT));
                // mixed: numbers, dates, booleans and text, each written as what it is
                columns.add(Column.fixed("value", Column.Kind.ANSWER_VALUE, ValueType.TEXT));
                columns.add(Column.fixed("label", Column.Kind.ANSWER_LABEL, ValueType.TEXT));
                columns.add(Column.fixed("branchSkipped", Column.Kind.ANSWER_BRANCH_SKIPPED, ValueType.BOOLEAN));
            }
        }
        return new ExportLayout(columns, profile, labels, shape, definitions, tables, items, scores, null);
    }

    /** The columns that describe the report, before any answer: the same in every layout. */
    private static List<Column> reportColumns(Profile profile) {
        List<Column> columns = new ArrayList<>();
        if (profile.keepsReportIds()) {
            columns.add(Column.fixed("reportId", Column.Kind.REPORT_ID, ValueType.TEXT));
        }
        columns.add(Column.fixed("version", Column.Kind.VERSION, ValueType.INTEGER));
        columns.add(Column.fixed("status", Column.Kind.STATUS, ValueType.TEXT));
        columns.add(
                Column.fixed(profile.pseudonymous() ? "pseudonym" : "subjectId", Column.Kind.SUBJECT, ValueType.TEXT));
        columns.add(Column.fixed("siteId", Column.Kind.SITE, ValueType.TEXT));
        columns.add(Column.fixed("questionnaire", Column.Kind.QUESTIONNAIRE, ValueType.TEXT));
        columns.add(Column.fixed("questionnaireVersion", Column.Kind.QUESTIONNAIRE_VERSION, ValueType.TEXT));
        if (profile.studyDays()) {
            columns.add(Column.fixed("authoredDay", Column.Kind.AUTHORED_DAY, ValueType.INTEGER));
            columns.add(Column.fixed("receivedDay", Column.Kind.RECEIVED_DAY, ValueType.INTEGER));
        } else {
            columns.add(Column.fixed("authoredAt", Column.Kind.AUTHORED_AT, ValueType.DATETIME));
            // beside the UTC instant, so the patient's local time can be derived
            columns.add(Column.fixed("authoredOffset", Column.Kind.AUTHORED_OFFSET, ValueType.TEXT));
            columns.add(Column.fixed("receivedAt", Column.Kind.RECEIVED_AT, ValueType.DATETIME));
        }
        columns.add(Column.fixed("onTime", Column.Kind.ON_TIME, ValueType.BOOLEAN));
        columns.add(Column.fixed("language", Column.Kind.LANGUAGE, ValueType.TEXT));
        if (!profile.studyDays()) {
            // a task id names the occurrence's calendar date
            columns.add(Column.fixed("taskId", Column.Kind.TASK, ValueType.TEXT));
        }
        columns.add(Column.fixed("windowVerdict", Column.Kind.WINDOW_VERDICT, ValueType.TEXT));
        return columns;
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

    public TableLayout shape() {
        return shape;
    }

    /** The same layout, knowing what the export read (a sorting export's writer gets this). */
    public ExportLayout withFacts(Facts facts) {
        return new ExportLayout(columns, profile, labels, shape, definitions, tables, itemDefs, scoreDefs, facts);
    }

    /** What the export read, for a sorting format; null for a streamed one (its writer starts before reading). */
    public Facts facts() {
        return facts;
    }

    /** The rows a record makes in this layout: one, or one per answer and score in the long layout. */
    public int rowsOf(ExportRecord r) {
        return shape == TableLayout.LONG ? r.answers().size() + r.scores().size() : 1;
    }

    /** The questionnaire definitions the layout was made from. */
    public List<QuestionnaireDefinition> definitions() {
        return definitions;
    }

    /** Per questionnaire: the questionnaire ids that have a table, in order. */
    public java.util.Set<String> tableIds() {
        return tables.keySet();
    }

    /** Per questionnaire: the wide table of one questionnaire's own columns, or null for one not exported. */
    public ExportLayout table(String questionnaireId) {
        return tables.get(questionnaireId);
    }

    /** The item's definition (the newest exported version's), or null; for the long layout's rows and the dictionary. */
    public ItemDefinition itemDefinition(String questionnaireId, String linkId) {
        Map<String, ItemDefinition> q = itemDefs.get(questionnaireId);
        return q == null ? null : q.get(linkId);
    }

    public ScoreDefinition scoreDefinition(String questionnaireId, String scoreId) {
        Map<String, ScoreDefinition> q = scoreDefs.get(questionnaireId);
        return q == null ? null : q.get(scoreId);
    }

    /** Every exported item by questionnaire id (free text left out when the profile drops it), in order. */
    public Map<String, Map<String, ItemDefinition>> itemDefinitions() {
        return itemDefs;
    }

    /** Every score by questionnaire id, in order. */
    public Map<String, Map<String, ScoreDefinition>> scoreDefinitions() {
        return scoreDefs;
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

    /** The branch-skipped flag columns of one questionnaire's items by linkId (empty when it has none). */
    Map<String, Integer> branchSkipFlags(String questionnaireId) {
        Map<String, Integer> q = skipIndex.get(questionnaireId);
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
