package org.openepro.core.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/** Occurrences for core's schedule tests: a 4-hour window from {@code opens}, reminders at +0 and +2 h. */
final class Occurrences {
    static final String PAIN = "https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0";

    private Occurrences() {}

    static Occurrence at(String opens, OccurrenceStatus status) {
        Instant o = Instant.parse(opens);
        return new Occurrence(
                new ScheduledSubject("STUDY-T", "SITE-01", "SUBJ-1"),
                new TaskId("pain", LocalDate.ofInstant(o, ZoneId.of("Europe/Berlin")), 1),
                PAIN,
                1,
                ZoneId.of("Europe/Berlin"),
                o,
                new Window(o, o.plus(Duration.ofHours(4))),
                List.of(o, o.plus(Duration.ofHours(2))),
                MissedAlertRule.NONE,
                Occurrence.Progress.NEW.withStatus(status));
    }
}
