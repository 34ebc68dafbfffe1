package org.openepro.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * One materialised occurrence of a schedule entry for one subject: what the app shows as a FHIR
 * {@code Task}, what the scheduler reminds about and closes, what compliance counts. Its plan
 * (times, questionnaire, rule) is fixed when generated, in the subject's zone of that moment; its
 * {@link Progress} changes through conditional writes only.
 *
 * @param sequence   1 for the entry's first occurrence after enrollment, counting every occurrence
 *                   the entry defines (the number "after N occurrences" ends on)
 * @param zone       the subject's zone the times were computed in
 * @param scheduledAt the nominal time ("20:00 local") as an instant
 * @param reminders  when reminders are due, in order, each inside the window
 */
public record Occurrence(
        ScheduledSubject subject,
        TaskId taskId,
        String questionnaire,
        int sequence,
        ZoneId zone,
        Instant scheduledAt,
        Window window,
        List<Instant> reminders,
        MissedAlertRule missedAlert,
        Progress progress) {
    public Occurrence {
        reminders = List.copyOf(reminders);
    }

    /** The changing part: stored status, reminder progress, the report that completed it. */
    public record Progress(
            OccurrenceStatus status,
            int nextReminder,
            int remindersSent,
            String reportId,
            WindowVerdict verdict,
            boolean alertOwed) {
        public static final Progress NEW = new Progress(OccurrenceStatus.PENDING, 0, 0, null, null, false);

        public Progress withStatus(OccurrenceStatus s) {
            return new Progress(s, nextReminder, remindersSent, reportId, verdict, alertOwed);
        }
    }

    /** What the scheduler does next for this occurrence, and when. */
    public enum DueKind {
        REMINDER,
        CLOSE,
        ALERT
    }

    /** The next scheduler event of an occurrence. */
    public record Due(Instant at, DueKind kind) {}

    public Occurrence withProgress(Progress p) {
        return new Occurrence(
                subject, taskId, questionnaire, sequence, zone, scheduledAt, window, reminders, missedAlert, p);
    }

    public OccurrenceStatus status() {
        return progress.status();
    }

    /**
     * The scheduler's next event: the next reminder, then the close of a pending window, then the
     * alert a miss still owes; empty once nothing is left to do.
     */
    public Optional<Due> nextDue() {
        return switch (progress.status()) {
            case PENDING ->
                progress.nextReminder() < reminders.size()
                        ? Optional.of(new Due(reminders.get(progress.nextReminder()), DueKind.REMINDER))
                        : Optional.of(new Due(window.closes(), DueKind.CLOSE));
            case MISSED ->
                progress.alertOwed() ? Optional.of(new Due(window.closes(), DueKind.ALERT)) : Optional.empty();
            case COMPLETED, CANCELLED -> Optional.empty();
        };
    }

    /** The FHIR Task status at {@code now}: derived from the stored status and the clock. */
    public TaskStatus taskStatus(Instant now) {
        return switch (progress.status()) {
            case COMPLETED -> TaskStatus.COMPLETED;
            case CANCELLED -> TaskStatus.CANCELLED;
            case MISSED -> TaskStatus.FAILED;
            case PENDING ->
                now.isBefore(window.opens())
                        ? TaskStatus.REQUESTED
                        : window.contains(now) ? TaskStatus.IN_PROGRESS : TaskStatus.FAILED;
        };
    }
}
