package org.openepro.core.message;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/**
 * What the scheduler puts on the alert queue when a run of missed windows reaches its schedule
 * entry's rule: ids, the rule's length and severity, never an answer. {@code alertId} is derived
 * from the subject and the occurrence that completed the run, so the alert function raises one
 * alert however often the message is sent. JSON (type {@value MissedPatternMessageCodec#TYPE},
 * schema 1): see {@code events/messages/schedule-missed-pattern-v1.json}.
 *
 * @param taskId   the occurrence whose miss completed the run ({@code <entry>.<local date>.v<version>})
 * @param missedAt when that occurrence's window closed (UTC, sortable form)
 */
public record MissedPatternMessage(
        String alertId,
        String studyId,
        String siteId,
        String subjectId,
        String entryId,
        String questionnaireId,
        String questionnaire,
        String taskId,
        int consecutive,
        String severity,
        String missedAt)
        implements AlertQueueMessage {
    /** The contract's one codec. */
    public static final MessageCodec<MissedPatternMessage> CODEC = new MissedPatternMessageCodec();

    public MissedPatternMessage {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(studyId, "studyId");
        Objects.requireNonNull(siteId, "siteId");
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(questionnaireId, "questionnaireId");
        Objects.requireNonNull(questionnaire, "questionnaire");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(missedAt, "missedAt");
        if (consecutive < 1) {
            throw new IllegalArgumentException("a run of misses is at least one long");
        }
    }

    /** The alert's id: one per subject and occurrence that completed a run. */
    public static String alertId(String studyId, String subjectId, String taskId) {
        return UUID.nameUUIDFromBytes(
                        ("missed|" + studyId + "|" + subjectId + "|" + taskId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    @Override
    public String serialisedBy() {
        return alertId;
    }
}
