package org.openepro.schedule.protocol;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.OptionalInt;

/**
 * When a schedule entry falls due, as local dates counted from the subject's enrollment date (day
 * 0) and a local time of day. Every kind defines at most one occurrence per local date, and the
 * sequence number of an occurrence is a pure function of the enrollment date and its own date, so
 * regenerating a range (travel, a new protocol version) can never number one twice or skip one.
 */
public sealed interface Recurrence {
    /** The local time of day the occurrence is scheduled at (its window is relative to it). */
    LocalTime at();

    /**
     * The 1-based sequence of the occurrence on {@code date} for a subject enrolled on
     * {@code enrolledOn}, or empty when the entry has none that day.
     */
    OptionalInt sequenceOn(LocalDate enrolledOn, LocalDate date);

    /** The wire name of the kind, as in the protocol document's {@code recurrence.type}. */
    String type();

    /** Days that are offsets from enrollment, e.g. visits on days 0, 7 and 28. */
    record EnrollmentDays(List<Integer> days, LocalTime at) implements Recurrence {
        public EnrollmentDays {
            days = List.copyOf(days);
        }

        @Override
        public OptionalInt sequenceOn(LocalDate enrolledOn, LocalDate date) {
            int offset = Math.toIntExact(ChronoUnit.DAYS.between(enrolledOn, date));
            int index = days.indexOf(offset);
            return index < 0 ? OptionalInt.empty() : OptionalInt.of(index + 1);
        }

        @Override
        public String type() {
            return "enrollment";
        }
    }

    /** Every day from {@code startDay} (an offset from enrollment) on. */
    record Daily(LocalTime at, int startDay) implements Recurrence {
        @Override
        public OptionalInt sequenceOn(LocalDate enrolledOn, LocalDate date) {
            long d = ChronoUnit.DAYS.between(enrolledOn, date) - startDay;
            return d < 0 ? OptionalInt.empty() : OptionalInt.of(Math.toIntExact(d + 1));
        }

        @Override
        public String type() {
            return "daily";
        }
    }

    /** Every week on one weekday, from the first such day on or after {@code startDay}. */
    record Weekly(DayOfWeek dayOfWeek, LocalTime at, int startDay) implements Recurrence {
        @Override
        public OptionalInt sequenceOn(LocalDate enrolledOn, LocalDate date) {
            if (date.getDayOfWeek() != dayOfWeek) {
                return OptionalInt.empty();
            }
            LocalDate first = enrolledOn.plusDays(startDay).with(TemporalAdjusters.nextOrSame(dayOfWeek));
            long d = ChronoUnit.DAYS.between(first, date);
            return d < 0 ? OptionalInt.empty() : OptionalInt.of(Math.toIntExact(d / 7 + 1));
        }

        @Override
        public String type() {
            return "weekly";
        }
    }

    /** Every {@code intervalDays} days from {@code startDay} on (e.g. every 14 days from enrollment). */
    record EveryNDays(int intervalDays, LocalTime at, int startDay) implements Recurrence {
        public EveryNDays {
            if (intervalDays < 1) {
                throw new IllegalArgumentException("intervalDays must be at least 1");
            }
        }

        @Override
        public OptionalInt sequenceOn(LocalDate enrolledOn, LocalDate date) {
            long d = ChronoUnit.DAYS.between(enrolledOn, date) - startDay;
            return d < 0 || d % intervalDays != 0
                    ? OptionalInt.empty()
                    : OptionalInt.of(Math.toIntExact(d / intervalDays + 1));
        }

        @Override
        public String type() {
            return "every-n-days";
        }
    }
}
