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
public record Column(String name, Kind kind, ValueType type, String questionnaireId, ItemDefinition item,
                     ScoreDefinition score) {

    /** Where a column's value comes from. */
    public enum Kind {
        REPORT_ID, VERSION, STATUS, SUBJECT, SITE, QUESTIONNAIRE, QUESTIONNAIRE_VERSION,
        AUTHORED_AT, AUTHORED_DAY, RECEIVED_AT, RECEIVED_DAY, ON_TIME, ITEM, SCORE
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
            case AUTHORED_DAY -> "Study day the patient completed it (day 1 = the day of the subject's first report)";
            case RECEIVED_AT -> "When the server received this version (UTC)";
            case RECEIVED_DAY -> "Study day the server received this version";
            case ON_TIME -> "Received within the questionnaire's submission window";
            case ITEM -> item.text();
            case SCORE -> score.title();
        };
    }
}
