package org.openepro.schedule.plan;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.TaskId;
import org.openepro.core.schedule.Window;
import org.openepro.schedule.protocol.Protocol;
import org.openepro.schedule.protocol.ProtocolHistory;
import org.openepro.schedule.protocol.ScheduleEntry;

/**
 * Generates a subject's occurrences for a range of local dates, in the subject's IANA zone, with
 * the JDK's time-zone rules. Pure: the same protocol, enrollment and dates give the same
 * occurrences, which is what lets the store write them with conditions and regenerate safely.
 *
 * <p><b>Time rules</b> (see functions/schedule/README.md):
 * <ul>
 *   <li>The scheduled time is the entry's local time on the local date in the subject's zone: 20:00
 *       stays 20:00 local across daylight-saving changes (its UTC instant moves by the change).</li>
 *   <li>A local time that does not exist that day (spring forward, e.g. 02:30 in Europe/Berlin on the
 *       last Sunday of March) is moved forward by the length of the gap (03:30 CEST): one occurrence,
 *       never none.</li>
 *   <li>A local time that exists twice (fall back, 02:30 on the last Sunday of October) is the first
 *       of the two (02:30 CEST, the earlier instant): one occurrence, never two.</li>
 *   <li>Window offsets and reminder offsets are elapsed time from the scheduled instant: a 4-hour
 *       window is 4 hours long even when a clock change falls inside it.</li>
 * </ul>
 */
public final class OccurrencePlanner {

    /**
     * The subject's occurrences with local dates in {@code [from, to]} (inclusive), each from the
     * protocol version applicable on its date; none for a subject who is not active.
     */
    public List<Occurrence> plan(ProtocolHistory history, Enrollment enrollment, LocalDate from, LocalDate to) {
        List<Occurrence> out = new ArrayList<>();
        if (!enrollment.active()) {
            return out;
        }
        LocalDate first = from.isBefore(enrollment.enrolledOn()) ? enrollment.enrolledOn() : from;
        for (LocalDate date = first; !date.isAfter(to); date = date.plusDays(1)) {
            var protocol = history.applicableOn(date);
            if (protocol.isEmpty()) {
                continue;
            }
            for (ScheduleEntry entry : protocol.get().entries()) {
                occurrenceOn(protocol.get(), entry, enrollment, enrollment.zone(), date)
                        .ifPresent(out::add);
            }
        }
        return out;
    }

    /** The entry's occurrence on one local date for this subject in {@code zone}, if the entry has one that day. */
    public static Optional<Occurrence> occurrenceOn(
            Protocol protocol, ScheduleEntry entry, Enrollment enrollment, ZoneId zone, LocalDate date) {
        OptionalInt sequence = entry.recurrence().sequenceOn(enrollment.enrolledOn(), date);
        if (sequence.isEmpty() || !entry.end().includes(enrollment.enrolledOn(), date, sequence.getAsInt())) {
            return Optional.empty();
        }
        Instant scheduled = scheduledInstant(date, entry, zone);
        List<Instant> reminders = new ArrayList<>(entry.reminders().size());
        for (Duration offset : entry.reminders()) {
            reminders.add(scheduled.plus(offset));
        }
        return Optional.of(new Occurrence(
                enrollment.subject(),
                new TaskId(entry.id(), date, protocol.version()),
                entry.questionnaire(),
                sequence.getAsInt(),
                zone,
                scheduled,
                new Window(scheduled.plus(entry.opens()), scheduled.plus(entry.closes())),
                reminders,
                entry.missedAlert(),
                Occurrence.Progress.NEW));
    }

    /**
     * The entry's local time on {@code date} in {@code zone}. {@link ZonedDateTime#of} is exactly the
     * documented rule: in a gap the local time moves later by the gap's length; in an overlap the
     * earlier offset (the first of the two instants) is used.
     */
    public static Instant scheduledInstant(LocalDate date, ScheduleEntry entry, ZoneId zone) {
        return ZonedDateTime.of(date, entry.recurrence().at(), zone).toInstant();
    }
}
