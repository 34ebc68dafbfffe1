package org.openepro.schedule.protocol;

import java.time.Duration;
import java.util.List;
import org.openepro.core.schedule.MissedAlertRule;

/**
 * One line of a protocol: which questionnaire ({@code url|version}), when (a recurrence at a local
 * time), the window around that time, the reminders inside it, when it ends, and which run of
 * misses raises a nurse alert.
 *
 * @param opens     the window's start as an offset from the scheduled time (may be negative)
 * @param closes    the window's end as an offset from the scheduled time, after {@code opens}
 * @param reminders offsets from the scheduled time, each in [opens, closes), ascending
 */
public record ScheduleEntry(
        String id,
        String questionnaire,
        Recurrence recurrence,
        Duration opens,
        Duration closes,
        List<Duration> reminders,
        ScheduleEnd end,
        MissedAlertRule missedAlert) {
    public ScheduleEntry {
        reminders = List.copyOf(reminders);
    }
}
