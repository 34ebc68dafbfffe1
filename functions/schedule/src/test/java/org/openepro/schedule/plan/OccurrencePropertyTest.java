package org.openepro.schedule.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.schedule.plan.TestProtocols.enrolled;
import static org.openepro.schedule.plan.TestProtocols.history;
import static org.openepro.schedule.plan.TestProtocols.protocol;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceStatus;
import org.openepro.core.schedule.TaskId;
import org.openepro.schedule.protocol.ProtocolHistory;
import org.openepro.schedule.protocol.Recurrence;
import org.openepro.schedule.protocol.ScheduleEnd;
import org.openepro.schedule.protocol.ScheduleEntry;

/**
 * Over a year in each test zone: no occurrence is generated twice and none is skipped, whether
 * planned at once or materialised 14 days ahead step by step (as the scheduler tops up), and
 * whatever the subject's travels between the test zones do to the times.
 */
class OccurrencePropertyTest {
    static final List<String> ZONES = List.of("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata");
    private final OccurrencePlanner planner = new OccurrencePlanner();
    private final Replanner replanner = new Replanner();

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of(ZONES);
    }

    /** Any time of day on the quarter hour, the DST hours (01:00-03:59) four times as likely. */
    @Provide
    Arbitrary<LocalTime> times() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.integers().between(0, 95).map(q -> LocalTime.of(q / 4, q % 4 * 15))),
                net.jqwik.api.Tuple.of(
                        4, Arbitraries.integers().between(4, 15).map(q -> LocalTime.of(q / 4, q % 4 * 15))));
    }

    @Provide
    Arbitrary<LocalDate> enrollments() {
        return Arbitraries.integers()
                .between(0, 364)
                .map(d -> LocalDate.of(2026, 1, 1).plusDays(d));
    }

    @Provide
    Arbitrary<Recurrence> recurrences() {
        Arbitrary<LocalTime> t = times();
        Arbitrary<Integer> start = Arbitraries.integers().between(0, 9);
        return Arbitraries.oneOf(
                Combinators.combine(t, start).as(Recurrence.Daily::new),
                Combinators.combine(Arbitraries.of(DayOfWeek.class), t, start).as(Recurrence.Weekly::new),
                Combinators.combine(Arbitraries.integers().between(2, 30), t, start)
                        .as(Recurrence.EveryNDays::new),
                Combinators.combine(
                                Arbitraries.integers()
                                        .between(0, 20)
                                        .set()
                                        .ofMinSize(1)
                                        .ofMaxSize(12),
                                t)
                        .as((days, at) -> new Recurrence.EnrollmentDays(new ArrayList<>(new TreeSet<>(days)), at)));
    }

    private static ScheduleEntry entry(Recurrence r) {
        // a window shorter than a day minus the longest clock change: never overlapping itself
        return new ScheduleEntry(
                "e",
                TestProtocols.PAIN,
                r,
                Duration.ZERO,
                Duration.ofHours(20),
                List.of(Duration.ZERO, Duration.ofHours(2)),
                ScheduleEnd.NEVER,
                org.openepro.core.schedule.MissedAlertRule.NONE);
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void dailyGivesEveryLocalDateOfTheYearExactlyOneOccurrence(
            @ForAll("zones") String zone, @ForAll("times") LocalTime at, @ForAll("enrollments") LocalDate enrolledOn) {
        // GIVEN a daily entry  WHEN a year is planned at once
        ProtocolHistory h = history(protocol(1, enrolledOn, entry(new Recurrence.Daily(at, 0))));
        List<Occurrence> occ = planner.plan(h, enrolled(enrolledOn, zone), enrolledOn, enrolledOn.plusDays(365));

        // THEN 366 occurrences on 366 consecutive dates, instants strictly increasing, each at the local
        // time asked for, or later by the gap on the one day that time does not exist
        assertThat(occ).hasSize(366);
        for (int i = 0; i < occ.size(); i++) {
            Occurrence o = occ.get(i);
            assertThat(o.taskId().localDate()).isEqualTo(enrolledOn.plusDays(i));
            assertThat(o.sequence()).isEqualTo(i + 1);
            if (i > 0) {
                assertThat(o.scheduledAt()).isAfter(occ.get(i - 1).scheduledAt());
            }
            ZonedDateTime local = o.scheduledAt().atZone(ZoneId.of(zone));
            var transition = ZoneId.of(zone)
                    .getRules()
                    .getTransition(o.taskId().localDate().atTime(at));
            if (transition != null && transition.isGap()) {
                assertThat(local.toLocalTime()).isEqualTo(at.plus(transition.getDuration()));
            } else {
                assertThat(local.toLocalDateTime())
                        .isEqualTo(o.taskId().localDate().atTime(at));
            }
        }
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void everyKindGeneratesEachExpectedDateOnceAndNothingElse(
            @ForAll("zones") String zone,
            @ForAll("recurrences") Recurrence r,
            @ForAll("enrollments") LocalDate enrolledOn) {
        // GIVEN any recurrence  WHEN a year is planned
        ProtocolHistory h = history(protocol(1, enrolledOn, entry(r)));
        List<Occurrence> occ = planner.plan(h, enrolled(enrolledOn, zone), enrolledOn, enrolledOn.plusDays(365));

        // THEN the dates are exactly those the definition names, counted independently here
        List<LocalDate> expected = new ArrayList<>();
        for (int d = 0; d <= 365; d++) {
            LocalDate date = enrolledOn.plusDays(d);
            boolean due = switch (r) {
                case Recurrence.Daily x -> d >= x.startDay();
                case Recurrence.Weekly x -> d >= x.startDay() && date.getDayOfWeek() == x.dayOfWeek();
                case Recurrence.EveryNDays x -> d >= x.startDay() && (d - x.startDay()) % x.intervalDays() == 0;
                case Recurrence.EnrollmentDays x -> x.days().contains(d);
            };
            if (due) {
                expected.add(date);
            }
        }
        assertThat(occ).extracting(o -> o.taskId().localDate()).containsExactlyElementsOf(expected);
        assertThat(occ)
                .extracting(Occurrence::sequence)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, expected.size())
                        .boxed()
                        .toList());
        assertThat(new HashSet<>(occ.stream().map(Occurrence::scheduledAt).toList()))
                .hasSize(occ.size());
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void toppingUpAheadStepByStepNeverDoublesNorSkipsAnOccurrence(
            @ForAll("zones") String zone,
            @ForAll("recurrences") Recurrence r,
            @ForAll("enrollments") LocalDate enrolledOn,
            @ForAll @IntRange(min = 3, max = 200) int stepHours) {
        // GIVEN an enrollment at 09:00 local on its date, and a scheduler topping up every stepHours
        Enrollment e = enrolled(enrolledOn, zone);
        ProtocolHistory h = history(protocol(1, enrolledOn, entry(r)));
        Instant start = enrolledOn.atTime(9, 0).atZone(ZoneId.of(zone)).toInstant();
        Instant end = start.plus(Duration.ofDays(365));
        Map<TaskId, Occurrence> stored = new HashMap<>();

        // WHEN it materialises 14 days ahead at each step for a year
        for (Instant now = start; now.isBefore(end); now = now.plus(Duration.ofHours(stepHours))) {
            Replanner.Changes c = replanner.materialise(h, e, List.copyOf(stored.values()), now);
            for (Occurrence o : c.create()) {
                assertThat(stored.put(o.taskId(), o))
                        .as("created twice: %s", o.taskId())
                        .isNull();
            }
            assertThat(c.replace()).isEmpty();
        }

        // THEN what was stored is exactly what planning the whole range at once gives, from the first
        // window still open at enrollment up to the last horizon
        LocalDate lastHorizon = LocalDate.ofInstant(end, ZoneId.of(zone)).plusDays(Replanner.HORIZON_DAYS);
        Set<TaskId> expected = new HashSet<>();
        for (Occurrence o : planner.plan(h, e, enrolledOn, lastHorizon)) {
            if (o.window().closes().isAfter(start)) {
                expected.add(o.taskId());
            }
        }
        Set<TaskId> got = stored.keySet();
        assertThat(got)
                .containsAll(expected.stream()
                        .filter(t -> !t.localDate().isAfter(LocalDate.ofInstant(end, ZoneId.of(zone))))
                        .toList());
        assertThat(expected).containsAll(got);
    }

    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void travelBetweenTheTestZonesKeepsExactlyOneOccurrencePerLocalDate(
            @ForAll("times") LocalTime at,
            @ForAll("enrollments") LocalDate enrolledOn,
            @ForAll("travels") List<Travel> travels) {
        // GIVEN a daily entry and a subject who changes zone now and then over a year
        ProtocolHistory h = history(protocol(1, enrolledOn, entry(new Recurrence.Daily(at, 0))));
        Enrollment e = enrolled(enrolledOn, ZONES.getFirst());
        Instant now = enrolledOn.atTime(9, 0).atZone(e.zone()).toInstant();
        Map<TaskId, Occurrence> stored = new HashMap<>();
        apply(stored, replanner.materialise(h, e, List.of(), now));

        // WHEN time passes with top-ups, and each travel is applied when it happens
        for (Travel t : travels) {
            for (int i = 0; i < t.hoursLater(); i += 6) {
                now = now.plus(Duration.ofHours(6));
                apply(stored, replanner.materialise(h, e, List.copyOf(stored.values()), now));
            }
            e = e.withZone(ZoneId.of(t.zone()));
            Instant when = now;
            List<Occurrence> before = List.copyOf(stored.values());
            Replanner.Changes moved = replanner.changeZone(h, e, before, now);
            // nothing that has opened moves, and nothing moves into the past
            assertThat(moved.replace())
                    .allSatisfy(o -> assertThat(o.window().opens()).isAfter(when));
            for (Occurrence o : moved.replace()) {
                assertThat(stored.get(o.taskId()).window().opens()).isAfter(when);
            }
            apply(stored, moved);
            apply(stored, replanner.materialise(h, e, List.copyOf(stored.values()), now));
        }

        // THEN every local date from enrollment to the horizon has exactly one occurrence, and the
        // windows, ordered by date, never overlap nor go backwards
        List<Occurrence> all = new ArrayList<>(stored.values());
        all.sort(java.util.Comparator.comparing((Occurrence o) -> o.taskId().localDate()));
        LocalDate last = all.getLast().taskId().localDate();
        assertThat(all).hasSize(Math.toIntExact(ChronoUnit.DAYS.between(enrolledOn, last)) + 1);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).taskId().localDate())
                    .isEqualTo(all.get(i - 1).taskId().localDate().plusDays(1));
            assertThat(all.get(i).window().opens())
                    .isAfterOrEqualTo(all.get(i - 1).window().closes().minus(Duration.ofHours(20)));
        }
    }

    record Travel(String zone, int hoursLater) {}

    @Provide
    Arbitrary<List<Travel>> travels() {
        return Combinators.combine(zones(), Arbitraries.integers().between(1, 24 * 40))
                .as(Travel::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(10);
    }

    private static void apply(Map<TaskId, Occurrence> stored, Replanner.Changes c) {
        for (Occurrence o : c.create()) {
            assertThat(stored.put(o.taskId(), o))
                    .as("created twice: %s", o.taskId())
                    .isNull();
        }
        for (Occurrence o : c.replace()) {
            assertThat(stored.put(o.taskId(), o))
                    .as("replaced a missing one: %s", o.taskId())
                    .isNotNull();
        }
        for (Occurrence o : c.cancel()) {
            stored.put(o.taskId(), o.withProgress(o.progress().withStatus(OccurrenceStatus.CANCELLED)));
        }
    }
}
