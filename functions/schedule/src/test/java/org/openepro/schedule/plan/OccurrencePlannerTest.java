package org.openepro.schedule.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.schedule.plan.TestProtocols.PAIN;
import static org.openepro.schedule.plan.TestProtocols.PHQ9;
import static org.openepro.schedule.plan.TestProtocols.daily;
import static org.openepro.schedule.plan.TestProtocols.enrolled;
import static org.openepro.schedule.plan.TestProtocols.entry;
import static org.openepro.schedule.plan.TestProtocols.history;
import static org.openepro.schedule.plan.TestProtocols.protocol;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openepro.core.schedule.EnrollmentStatus;
import org.openepro.core.schedule.Occurrence;
import org.openepro.schedule.protocol.Recurrence;
import org.openepro.schedule.protocol.ScheduleEnd;

class OccurrencePlannerTest {
    private final OccurrencePlanner planner = new OccurrencePlanner();

    private List<Occurrence> plan(
            LocalDate enrolledOn,
            String zone,
            LocalDate from,
            LocalDate to,
            org.openepro.schedule.protocol.ScheduleEntry... entries) {
        return planner.plan(history(protocol(1, enrolledOn, entries)), enrolled(enrolledOn, zone), from, to);
    }

    @ParameterizedTest(name = "{0}: 20:00 local on {1} and {2} (a clock change between)")
    @CsvSource({
        "Europe/Berlin,    2026-03-28, 2026-03-29, 2026-03-28T19:00:00Z, 2026-03-29T18:00:00Z",
        "Europe/Berlin,    2026-10-24, 2026-10-25, 2026-10-24T18:00:00Z, 2026-10-25T19:00:00Z",
        "America/New_York, 2026-03-07, 2026-03-08, 2026-03-08T01:00:00Z, 2026-03-09T00:00:00Z",
        "America/New_York, 2026-10-31, 2026-11-01, 2026-11-01T00:00:00Z, 2026-11-02T01:00:00Z",
        "Australia/Sydney, 2026-04-04, 2026-04-05, 2026-04-04T09:00:00Z, 2026-04-05T10:00:00Z",
        "Australia/Sydney, 2026-10-03, 2026-10-04, 2026-10-03T10:00:00Z, 2026-10-04T09:00:00Z",
        "Asia/Kolkata,     2026-03-28, 2026-03-29, 2026-03-28T14:30:00Z, 2026-03-29T14:30:00Z"
    })
    void dailyAt2000StaysAt2000LocalAcrossDaylightSaving(
            String zone, LocalDate before, LocalDate after, Instant utcBefore, Instant utcAfter) {
        // GIVEN a daily 20:00 entry  WHEN planned over the two days around the change
        List<Occurrence> occ = plan(before.minusDays(3), zone, before, after, daily("pain", "20:00"));

        // THEN one occurrence a day, each at 20:00 local; the UTC time moves with the offset
        assertThat(occ).extracting(o -> o.taskId().localDate()).containsExactly(before, after);
        assertThat(occ)
                .allSatisfy(
                        o -> assertThat(o.scheduledAt().atZone(ZoneId.of(zone)).toLocalTime())
                                .isEqualTo(LocalTime.of(20, 0)));
        assertThat(occ).extracting(Occurrence::scheduledAt).containsExactly(utcBefore, utcAfter);
    }

    @ParameterizedTest(name = "{0}: {2} local does not exist on {1}, the occurrence is at {3}")
    @CsvSource({
        "Europe/Berlin,    2026-03-29, 02:30, 2026-03-29T01:30:00Z, 03:30",
        "America/New_York, 2026-03-08, 02:30, 2026-03-08T07:30:00Z, 03:30",
        "Australia/Sydney, 2026-10-04, 02:30, 2026-10-03T16:30:00Z, 03:30",
        "Asia/Kolkata,     2026-03-29, 02:30, 2026-03-28T21:00:00Z, 02:30"
    })
    void aLocalTimeInTheSpringForwardGapMovesForwardByTheGap(
            String zone, LocalDate day, String at, Instant expected, String localSeen) {
        // GIVEN a daily entry at a time the clock skips that day
        List<Occurrence> occ = plan(day.minusDays(1), zone, day, day, daily("pain", at));

        // THEN exactly one occurrence, moved later by the length of the gap
        assertThat(occ).hasSize(1);
        assertThat(occ.getFirst().scheduledAt()).isEqualTo(expected);
        assertThat(occ.getFirst().scheduledAt().atZone(ZoneId.of(zone)).toLocalTime())
                .isEqualTo(LocalTime.parse(localSeen));
        assertThat(occ.getFirst().taskId().localDate()).isEqualTo(day);
    }

    @ParameterizedTest(name = "{0}: {2} local happens twice on {1}, the occurrence is the first, {3}")
    @CsvSource({
        "Europe/Berlin,    2026-10-25, 02:30, 2026-10-25T00:30:00Z",
        "America/New_York, 2026-11-01, 01:30, 2026-11-01T05:30:00Z",
        "Australia/Sydney, 2026-04-05, 02:30, 2026-04-04T15:30:00Z",
        "Asia/Kolkata,     2026-10-25, 02:30, 2026-10-24T21:00:00Z"
    })
    void aLocalTimeInTheFallBackOverlapIsTheEarlierInstant(String zone, LocalDate day, String at, Instant expected) {
        // GIVEN a daily entry at a time that happens twice that day
        List<Occurrence> occ = plan(day.minusDays(1), zone, day, day, daily("pain", at));

        // THEN exactly one occurrence, at the first of the two instants
        assertThat(occ).hasSize(1);
        assertThat(occ.getFirst().scheduledAt()).isEqualTo(expected);
        ZonedDateTime local = occ.getFirst().scheduledAt().atZone(ZoneId.of(zone));
        assertThat(local.toLocalTime()).isEqualTo(LocalTime.parse(at));
        assertThat(local.withEarlierOffsetAtOverlap().toInstant()).isEqualTo(expected);
    }

    @Test
    void windowAndRemindersAreElapsedTimeFromTheScheduledInstantEvenAcrossAClockChange() {
        // GIVEN a daily 01:00 entry with a 4 h window in Berlin, the night the clocks go forward at 02:00
        LocalDate day = LocalDate.parse("2026-03-29");
        List<Occurrence> occ = plan(day, "Europe/Berlin", day, day, daily("pain", "01:00"));

        // THEN the window is four elapsed hours (01:00 CET to 06:00 CEST local), reminders at +0 and +2 h
        Occurrence o = occ.getFirst();
        assertThat(o.window().opens()).isEqualTo(Instant.parse("2026-03-29T00:00:00Z"));
        assertThat(o.window().closes()).isEqualTo(Instant.parse("2026-03-29T04:00:00Z"));
        assertThat(o.window().closes().atZone(ZoneId.of("Europe/Berlin")).toLocalTime())
                .isEqualTo(LocalTime.of(6, 0));
        assertThat(o.reminders())
                .containsExactly(Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-29T02:00:00Z"));
    }

    @Test
    void enrollmentDayOffsetsGiveOneOccurrenceOnEachListedDay() {
        // GIVEN visits on days 0, 7 and 28 after an enrollment on 2026-03-02
        LocalDate enrolled = LocalDate.parse("2026-03-02");
        var visits = entry(
                "visits",
                PHQ9,
                new Recurrence.EnrollmentDays(List.of(0, 7, 28), LocalTime.of(9, 0)),
                Duration.ofHours(8),
                ScheduleEnd.NEVER);

        // WHEN planned over two months
        List<Occurrence> occ = plan(enrolled, "Europe/Berlin", enrolled, enrolled.plusDays(60), visits);

        // THEN exactly those days, numbered 1, 2, 3
        assertThat(occ)
                .extracting(o -> o.taskId().localDate())
                .containsExactly(enrolled, enrolled.plusDays(7), enrolled.plusDays(28));
        assertThat(occ).extracting(Occurrence::sequence).containsExactly(1, 2, 3);
    }

    @Test
    void dailyFromAStartDayEndsAfterItsLastDay() {
        // GIVEN a daily entry starting on day 2 and ending on day 5 (inclusive)
        LocalDate enrolled = LocalDate.parse("2026-05-01");
        var e = entry(
                "d",
                PAIN,
                new Recurrence.Daily(LocalTime.of(20, 0), 2),
                Duration.ofHours(4),
                new ScheduleEnd(OptionalInt.empty(), OptionalInt.of(5)));

        List<Occurrence> occ = plan(enrolled, "Asia/Kolkata", enrolled, enrolled.plusDays(30), e);

        // THEN days 2, 3, 4, 5
        assertThat(occ)
                .extracting(o -> o.taskId().localDate())
                .containsExactly(
                        enrolled.plusDays(2), enrolled.plusDays(3), enrolled.plusDays(4), enrolled.plusDays(5));
        assertThat(occ).extracting(Occurrence::sequence).containsExactly(1, 2, 3, 4);
    }

    @Test
    void weeklyOnMondayStartsOnTheFirstMondayAndEndsAfterNOccurrences() {
        // GIVEN a weekly Monday entry, 4 occurrences, for a subject enrolled on a Wednesday
        LocalDate enrolled = LocalDate.parse("2026-03-04");
        assertThat(enrolled.getDayOfWeek()).isEqualTo(DayOfWeek.WEDNESDAY);
        var weekly = entry(
                "phq",
                PHQ9,
                new Recurrence.Weekly(DayOfWeek.MONDAY, LocalTime.of(9, 0), 0),
                Duration.ofDays(2),
                new ScheduleEnd(OptionalInt.of(4), OptionalInt.empty()));

        List<Occurrence> occ = plan(enrolled, "America/New_York", enrolled, enrolled.plusDays(90), weekly);

        // THEN the next four Mondays, nothing after
        assertThat(occ)
                .extracting(o -> o.taskId().localDate())
                .containsExactly(
                        LocalDate.parse("2026-03-09"),
                        LocalDate.parse("2026-03-16"),
                        LocalDate.parse("2026-03-23"),
                        LocalDate.parse("2026-03-30"));
        assertThat(occ)
                .allSatisfy(
                        o -> assertThat(o.taskId().localDate().getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY));
    }

    @Test
    void everyFourteenDaysCountsFromEnrollment() {
        // GIVEN every 14 days from enrollment
        LocalDate enrolled = LocalDate.parse("2026-01-10");
        var e = entry(
                "biweekly",
                PHQ9,
                new Recurrence.EveryNDays(14, LocalTime.of(18, 0), 0),
                Duration.ofDays(3),
                ScheduleEnd.NEVER);

        List<Occurrence> occ = plan(enrolled, "Australia/Sydney", enrolled.plusDays(1), enrolled.plusDays(50), e);

        // THEN days 14, 28, 42 (day 0 is before the range), numbered from enrollment
        assertThat(occ)
                .extracting(o -> o.taskId().localDate())
                .containsExactly(enrolled.plusDays(14), enrolled.plusDays(28), enrolled.plusDays(42));
        assertThat(occ).extracting(Occurrence::sequence).containsExactly(2, 3, 4);
    }

    @Test
    void aNewVersionAppliesFromItsEffectiveDateAndEarlierDatesKeepTheirVersion() {
        // GIVEN v1 daily at 20:00 and v2 (from 2026-04-10) daily at 19:00
        LocalDate enrolled = LocalDate.parse("2026-04-05");
        var v1 = protocol(1, enrolled, daily("pain", "20:00"));
        var v2 = protocol(2, LocalDate.parse("2026-04-10"), daily("pain", "19:00"));

        List<Occurrence> occ = planner.plan(
                history(v1, v2), enrolled(enrolled, "Europe/Berlin"), enrolled, LocalDate.parse("2026-04-12"));

        // THEN 04-05..04-09 are v1 at 20:00, 04-10..04-12 are v2 at 19:00: one a day, none twice
        assertThat(occ).hasSize(8);
        assertThat(occ.subList(0, 5)).allSatisfy(o -> {
            assertThat(o.taskId().protocolVersion()).isEqualTo(1);
            assertThat(o.scheduledAt().atZone(o.zone()).getHour()).isEqualTo(20);
        });
        assertThat(occ.subList(5, 8)).allSatisfy(o -> {
            assertThat(o.taskId().protocolVersion()).isEqualTo(2);
            assertThat(o.scheduledAt().atZone(o.zone()).getHour()).isEqualTo(19);
        });
        assertThat(occ).extracting(Occurrence::sequence).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void aWithdrawnOrPausedSubjectGetsNoOccurrences() {
        LocalDate enrolled = LocalDate.parse("2026-04-05");
        var h = history(protocol(1, enrolled, daily("pain", "20:00")));

        assertThat(planner.plan(
                        h,
                        enrolled(enrolled, "Europe/Berlin").withStatus(EnrollmentStatus.WITHDRAWN, "consent"),
                        enrolled,
                        enrolled.plusDays(10)))
                .isEmpty();
        assertThat(planner.plan(
                        h,
                        enrolled(enrolled, "Europe/Berlin").withStatus(EnrollmentStatus.PAUSED, "hospital"),
                        enrolled,
                        enrolled.plusDays(10)))
                .isEmpty();
    }

    @Test
    void nothingBeforeTheEnrollmentDate() {
        LocalDate enrolled = LocalDate.parse("2026-04-05");
        List<Occurrence> occ = plan(enrolled, "Europe/Berlin", enrolled.minusDays(5), enrolled, daily("pain", "20:00"));
        assertThat(occ).extracting(o -> o.taskId().localDate()).containsExactly(enrolled);
    }
}
