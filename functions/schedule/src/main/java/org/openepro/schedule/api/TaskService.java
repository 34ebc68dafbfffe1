package org.openepro.schedule.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.openepro.core.http.Caller;
import org.openepro.core.id.Participant;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceStore;

/**
 * What is due for the patient the token speaks for: every occurrence whose window has not closed
 * (open and upcoming, up to the 14 days materialised), plus those that closed in the last day, so
 * the app can show today's completed and missed ones too.
 */
public final class TaskService {
    static final Duration RECENT = Duration.ofDays(1);

    private final OccurrenceStore occurrences;
    private final Clock clock;

    public TaskService(OccurrenceStore occurrences, Clock clock) {
        this.occurrences = occurrences;
        this.clock = clock;
    }

    public ObjectNode tasks(Caller caller) {
        caller.requireScope(Caller.SCOPE_REPORT_WRITE);
        Participant patient = caller.patient();
        Instant now = clock.instant();
        Instant since = now.minus(RECENT);
        // local dates can lead UTC by up to 14 hours: start the read two UTC days back
        LocalDate from = LocalDate.ofInstant(since, ZoneOffset.UTC).minusDays(1);
        List<Occurrence> due = occurrences.forSubject(patient.studyId(), patient.subjectId(), from).stream()
                .filter(o -> o.window().closes().isAfter(since))
                .sorted(java.util.Comparator.comparing(
                        (Occurrence o) -> o.window().opens()))
                .toList();
        return TaskBundle.of(due, now);
    }
}
