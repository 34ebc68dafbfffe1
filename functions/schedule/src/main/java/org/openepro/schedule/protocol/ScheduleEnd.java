package org.openepro.schedule.protocol;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.OptionalInt;

/**
 * When an entry stops: after its {@code afterOccurrences}-th occurrence, after {@code lastDay}
 * (an offset from enrollment, inclusive), whichever comes first; neither set means it runs until
 * the subject leaves the study or a new protocol version replaces it.
 */
public record ScheduleEnd(OptionalInt afterOccurrences, OptionalInt lastDay) {
    public static final ScheduleEnd NEVER = new ScheduleEnd(OptionalInt.empty(), OptionalInt.empty());

    public boolean includes(LocalDate enrolledOn, LocalDate date, int sequence) {
        if (afterOccurrences.isPresent() && sequence > afterOccurrences.getAsInt()) {
            return false;
        }
        return lastDay.isEmpty() || ChronoUnit.DAYS.between(enrolledOn, date) <= lastDay.getAsInt();
    }
}
