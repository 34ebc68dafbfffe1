package org.openepro.schedule.plan;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.openepro.core.questionnaire.Severity;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.EnrollmentStatus;
import org.openepro.core.schedule.MissedAlertRule;
import org.openepro.core.schedule.ScheduledSubject;
import org.openepro.schedule.protocol.Protocol;
import org.openepro.schedule.protocol.ProtocolHistory;
import org.openepro.schedule.protocol.Recurrence;
import org.openepro.schedule.protocol.ScheduleEnd;
import org.openepro.schedule.protocol.ScheduleEntry;
import org.openepro.schedule.protocol.Site;

/** Protocols and enrollments for the engine's tests. */
final class TestProtocols {
    static final String PAIN = "https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0";
    static final String PHQ9 = "https://openepro.dev/fhir/Questionnaire/phq-9|1.1.0";

    private TestProtocols() {}

    /** Daily at {@code at} local, window [at, at+4h), reminders at +0 and +2h, 3 misses raise MEDIUM. */
    static ScheduleEntry daily(String id, String at) {
        return new ScheduleEntry(
                id,
                PAIN,
                new Recurrence.Daily(LocalTime.parse(at), 0),
                Duration.ZERO,
                Duration.ofHours(4),
                List.of(Duration.ZERO, Duration.ofHours(2)),
                ScheduleEnd.NEVER,
                new MissedAlertRule(3, Severity.MEDIUM));
    }

    static ScheduleEntry entry(
            String id, String questionnaire, Recurrence recurrence, Duration closes, ScheduleEnd end) {
        return new ScheduleEntry(
                id, questionnaire, recurrence, Duration.ZERO, closes, List.of(), end, MissedAlertRule.NONE);
    }

    static Protocol protocol(int version, LocalDate effectiveFrom, ScheduleEntry... entries) {
        return new Protocol(
                "STUDY-T",
                version,
                effectiveFrom,
                List.of(new Site("SITE-01", ZoneId.of("Europe/Berlin"))),
                List.of(entries));
    }

    static ProtocolHistory history(Protocol... versions) {
        return new ProtocolHistory(List.of(versions));
    }

    static Enrollment enrolled(LocalDate on, String zone) {
        return new Enrollment(
                new ScheduledSubject("STUDY-T", "SITE-01", "SUBJ-1"),
                on,
                ZoneId.of(zone),
                EnrollmentStatus.ACTIVE,
                null);
    }
}
