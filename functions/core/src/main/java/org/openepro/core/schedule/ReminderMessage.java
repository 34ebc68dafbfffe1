package org.openepro.core.schedule;

/**
 * A reminder on the {@code participant-reminders} topic, for the app's push service: ids and
 * times only (study, site, subject pseudonym, task, questionnaire, window end), never a name, a
 * phone number or a question text. {@code reminderId} is the same for every send of one reminder,
 * so the push service drops a duplicate by it.
 *
 * @param reminder which reminder of the occurrence this is, from 1, of {@code of}
 */
public record ReminderMessage(
        String type,
        int schemaVersion,
        String reminderId,
        String studyId,
        String siteId,
        String subjectId,
        String taskId,
        String questionnaireId,
        String questionnaire,
        String windowEnd,
        int reminder,
        int of) {
    public static final String TYPE = "schedule.reminder";
    public static final int SCHEMA_VERSION = 1;
}
