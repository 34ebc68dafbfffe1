package org.openepro.core.schedule;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What the scheduler puts on the alert queue when a run of missed windows reaches its entry's
 * {@link MissedAlertRule}: ids, the rule's length and severity, never an answer. {@code alertId}
 * is derived from the subject and the occurrence that completed the run, so the alert function
 * raises one alert however often the message is sent.
 */
public record MissedPatternMessage(String type, int schemaVersion, String alertId, String studyId, String siteId, String subjectId,
                                   String entryId, String questionnaire, String taskId, int consecutive,
                                   String severity, String missedAt) {
    public static final String TYPE = "schedule.missed-pattern";
    public static final int SCHEMA_VERSION = 1;

    public static String alertId(String studyId, String subjectId, TaskId task) {
        return UUID.nameUUIDFromBytes(("missed|" + studyId + "|" + subjectId + "|" + task)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
