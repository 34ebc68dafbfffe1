package org.openepro.export.format;

import org.openepro.core.questionnaire.ItemDefinition;
import org.openepro.core.questionnaire.ScoreDefinition;

/**
 * One column of a tabular export. Fixed columns describe the report; item columns hold one
 * questionnaire item's answer; score columns a computed score.
 *
 * @param name            header text: a linkId for an item (qualified with the questionnaire id only
 *                        when two exported questionnaires use the same linkId)
 * @param questionnaireId for item and score columns
 */
public record Column(
        String name, Kind kind, ValueType type, String questionnaireId, ItemDefinition item, ScoreDefinition score) {

    /** Where a column's value comes from. */
    public enum Kind {
        REPORT_ID,
        VERSION,
        STATUS,
        SUBJECT,
        SITE,
        QUESTIONNAIRE,
        QUESTIONNAIRE_VERSION,
        AUTHORED_AT,
        AUTHORED_OFFSET,
        AUTHORED_DAY,
        RECEIVED_AT,
        RECEIVED_DAY,
        ON_TIME,
        LANGUAGE,
        TASK,
        WINDOW_VERDICT,
        /* the long layout's answer columns: one row per answer or score */
        ANSWER_ITEM,
        ANSWER_TEXT,
        ANSWER_TYPE,
        ANSWER_CODE,
        ANSWER_VALUE,
        ANSWER_LABEL,
        ANSWER_BRANCH_SKIPPED,
        ITEM,
        SCORE,
        /* beside an item the instrument records as an option when its branching skips it (PRO-CTCAE) */
        ITEM_BRANCH_SKIPPED
    }

    static Column fixed(String name, Kind kind, ValueType type) {
        return new Column(name, kind, type, null, null, null);
    }

    /** The data dictionary's description of the column. */
    public String description() {
        return switch (kind) {
            case REPORT_ID -> "Report id";
            case VERSION -> "Report version (1 = original, higher = amendment)";
            case STATUS -> "QuestionnaireResponse status";
            case SUBJECT -> name.equals("subjectId") ? "Subject id" : "Subject pseudonym (random, per study)";
            case SITE -> "Site id";
            case QUESTIONNAIRE -> "Questionnaire id";
            case QUESTIONNAIRE_VERSION -> "Questionnaire version";
            case AUTHORED_AT -> "When the patient completed it (UTC)";
            case AUTHORED_OFFSET ->
                "The patient's UTC offset when completing it, as their device sent it (local time = authoredAt + offset)";
            case AUTHORED_DAY -> "Study day the patient completed it (day 1 = the day of the subject's first report)";
            case RECEIVED_AT -> "When the server received this version (UTC)";
            case RECEIVED_DAY -> "Study day the server received this version";
            case ON_TIME -> "Received within the questionnaire's submission window";
            case LANGUAGE -> "The language the patient answered in (BCP 47 tag, QuestionnaireResponse.language)";
            case TASK -> "The schedule task it answers (QuestionnaireResponse.basedOn, or matched to the open window)";
            case WINDOW_VERDICT ->
                "How it relates to its task's window: on-time, late, early or unscheduled (empty: stored before"
                        + " schedules)";
            case ANSWER_ITEM -> "Item (linkId) or score id the row answers";
            case ANSWER_TEXT -> "The item's text or the score's title";
            case ANSWER_TYPE -> "The item's FHIR type, or score";
            case ANSWER_CODE -> "The answer option's code (choice items)";
            case ANSWER_VALUE ->
                "The value: a choice's score (ordinal), a number, a date, a boolean, free text or a score";
            case ANSWER_LABEL -> "The answer option's display text (choice items) or a score's band";
            case ANSWER_BRANCH_SKIPPED ->
                "true: the item was not asked (its enableWhen disabled it) and the value is"
                        + " the one the instrument records for a skip, not the patient's answer (CDISC QSCBRFL)";
            case ITEM -> item.text();
            case SCORE -> score.title();
            case ITEM_BRANCH_SKIPPED ->
                "true: '" + item.linkId() + "' was not asked (its enableWhen disabled it) and"
                        + " holds the value the instrument records for a skip, not the patient's answer (CDISC QSCBRFL)";
        };
    }
}
