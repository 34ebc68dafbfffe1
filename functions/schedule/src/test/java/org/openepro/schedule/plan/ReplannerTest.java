package org.openepro.schedule.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.schedule.plan.TestProtocols.daily;
import static org.openepro.schedule.plan.TestProtocols.enrolled;
import static org.openepro.schedule.plan.TestProtocols.history;
import static org.openepro.schedule.plan.TestProtocols.protocol;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.EnrollmentStatus;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceStatus;
import org.openepro.schedule.protocol.ProtocolHistory;

class ReplannerTest {
    private static final LocalDate ENROLLED = LocalDate.parse("2026-03-20");
    private final Replanner replanner = new Replanner();
    private final ProtocolHistory v1 = history(protocol(1, ENROLLED, daily("pain", "20:00")));

    @Test
    void enrollmentMaterialisesTheOpenWindowAndFourteenDaysAheadSkippingPastReminders() {
        // GIVEN enrollment at 21:00 Berlin, inside that day's 20:00-24:00 window
        Enrollment e = enrolled(ENROLLED, "Europe/Berlin");
        Instant now = Instant.parse("2026-03-20T20:00:00Z");

        Replanner.Changes c = replanner.materialise(v1, e, List.of(), now);

        // THEN today through today+14, today's 20:00 reminder skipped (not sent late), its 22:00 one kept
        assertThat(c.create()).hasSize(15);
        assertThat(c.create().getFirst().taskId().localDate()).isEqualTo(ENROLLED);
        assertThat(c.create().getLast().taskId().localDate()).isEqualTo(ENROLLED.plusDays(14));
        assertThat(c.create().getFirst().progress().nextReminder()).isEqualTo(1);
        assertThat(c.create().get(1).progress().nextReminder()).isZero();
    }

    @Test
    void aTopUpCreatesOnlyWhatIsMissing() {
        Enrollment e = enrolled(ENROLLED, "Europe/Berlin");
        Instant first = Instant.parse("2026-03-20T08:00:00Z");
        List<Occurrence> stored =
                new ArrayList<>(replanner.materialise(v1, e, List.of(), first).create());

        Replanner.Changes again = replanner.materialise(v1, e, stored, first);
        Replanner.Changes weekLater = replanner.materialise(v1, e, stored, first.plusSeconds(7 * 86_400));

        assertThat(again.isEmpty()).isTrue();
        assertThat(weekLater.create())
                .extracting(o -> o.taskId().localDate())
                .containsExactly(
                        ENROLLED.plusDays(15),
                        ENROLLED.plusDays(16),
                        ENROLLED.plusDays(17),
                        ENROLLED.plusDays(18),
                        ENROLLED.plusDays(19),
                        ENROLLED.plusDays(20),
                        ENROLLED.plusDays(21));
    }

    @Test
    void travelMovesOccurrencesFromTheNextOneThatHasNotOpenedAndKeepsTheOpenOne() {
        // GIVEN a Berlin subject at 19:30Z on 03-20: the 20:00 Berlin window (19:00Z) is open
        Enrollment berlin = enrolled(ENROLLED, "Europe/Berlin");
        List<Occurrence> stored = replanner
                .materialise(v1, berlin, List.of(), Instant.parse("2026-03-20T08:00:00Z"))
                .create();
        Instant now = Instant.parse("2026-03-20T19:30:00Z");

        // WHEN they fly to New York
        Replanner.Changes c = replanner.changeZone(v1, berlin.withZone(ZoneId.of("America/New_York")), stored, now);

        // THEN today's open window stays in Berlin time; every later one moves to 20:00 New York, same ids
        assertThat(c.replace())
                .extracting(o -> o.taskId().localDate())
                .doesNotContain(ENROLLED)
                .contains(ENROLLED.plusDays(1), ENROLLED.plusDays(14));
        assertThat(c.replace()).hasSize(14);
        assertThat(c.replace()).allSatisfy(o -> {
            assertThat(o.zone()).isEqualTo(ZoneId.of("America/New_York"));
            assertThat(o.scheduledAt().atZone(o.zone()).toLocalTime()).isEqualTo(LocalTime.of(20, 0));
        });
    }

    @Test
    void travelEastDoesNotMoveAnOccurrenceIntoThePast() {
        // GIVEN a New York subject; their 03-20 window opens at 00:00Z on 03-21
        Enrollment ny = enrolled(ENROLLED, "America/New_York");
        List<Occurrence> stored = replanner
                .materialise(v1, ny, List.of(), Instant.parse("2026-03-20T12:00:00Z"))
                .create();
        Instant now = Instant.parse("2026-03-20T21:00:00Z");

        // WHEN they arrive in Berlin at 22:00 Berlin time, after Berlin's 20:00 on 03-20
        Replanner.Changes c = replanner.changeZone(v1, ny.withZone(ZoneId.of("Europe/Berlin")), stored, now);

        // THEN 03-20 keeps its New York time (in Berlin it would have opened already); 03-21 on is Berlin's
        assertThat(c.replace()).extracting(o -> o.taskId().localDate()).doesNotContain(ENROLLED);
        assertThat(c.replace().getFirst().taskId().localDate()).isEqualTo(ENROLLED.plusDays(1));
        assertThat(c.replace().getFirst().scheduledAt()).isEqualTo(Instant.parse("2026-03-21T19:00:00Z"));
    }

    @Test
    void aNewVersionCancelsTheOldVersionsUnopenedOccurrencesFromItsDateAndCreatesItsOwn() {
        // GIVEN v1 materialised; v2 from 03-25 moves the time to 19:00
        Enrollment e = enrolled(ENROLLED, "Europe/Berlin");
        Instant now = Instant.parse("2026-03-20T08:00:00Z");
        List<Occurrence> stored = replanner.materialise(v1, e, List.of(), now).create();
        ProtocolHistory h = history(
                protocol(1, ENROLLED, daily("pain", "20:00")),
                protocol(2, LocalDate.parse("2026-03-25"), daily("pain", "19:00")));

        Replanner.Changes c = replanner.applyVersion(h, e, stored, now);

        // THEN 03-25..03-34 of v1 are cancelled, v2 has the same dates, earlier dates keep v1
        assertThat(c.cancel()).extracting(o -> o.taskId().localDate()).first().isEqualTo(LocalDate.parse("2026-03-25"));
        assertThat(c.cancel())
                .allSatisfy(o -> assertThat(o.taskId().protocolVersion()).isEqualTo(1));
        assertThat(c.create())
                .extracting(o -> o.taskId().localDate())
                .containsExactlyElementsOf(
                        c.cancel().stream().map(o -> o.taskId().localDate()).toList());
        assertThat(c.create())
                .allSatisfy(o -> assertThat(o.taskId().protocolVersion()).isEqualTo(2));
        assertThat(c.cancel()).hasSize(10);
    }

    @Test
    void aNewVersionLeavesAnOccurrenceThatOpenedAndDoesNotDoubleItsDate() {
        Enrollment e = enrolled(ENROLLED, "Europe/Berlin");
        List<Occurrence> stored = replanner
                .materialise(v1, e, List.of(), Instant.parse("2026-03-20T08:00:00Z"))
                .create();
        ProtocolHistory h =
                history(protocol(1, ENROLLED, daily("pain", "20:00")), protocol(2, ENROLLED, daily("pain", "21:00")));
        Instant inWindow = Instant.parse("2026-03-20T19:30:00Z");

        Replanner.Changes c = replanner.applyVersion(h, e, stored, inWindow);

        // THEN today's open v1 occurrence is kept and v2 creates nothing for today
        assertThat(c.cancel()).extracting(o -> o.taskId().localDate()).doesNotContain(ENROLLED);
        assertThat(c.create()).extracting(o -> o.taskId().localDate()).doesNotContain(ENROLLED);
        assertThat(c.create()).hasSize(14);
    }

    @Test
    void withdrawalCancelsEveryPendingWindowNotYetClosedAndResumingRevivesOnlyUnopenedOnes() {
        Enrollment e = enrolled(ENROLLED, "Europe/Berlin");
        List<Occurrence> stored = replanner
                .materialise(v1, e, List.of(), Instant.parse("2026-03-20T08:00:00Z"))
                .create();
        Instant now = Instant.parse("2026-03-20T19:30:00Z");

        Replanner.Changes stop = replanner.stop(stored, now);
        assertThat(stop.cancel()).hasSize(15);
        assertThat(stop.cancel()).allSatisfy(o -> assertThat(o.status()).isEqualTo(OccurrenceStatus.CANCELLED));

        // a paused subject who resumes gets the unopened ones back, never the one that opened while paused
        List<Occurrence> cancelled = stop.cancel();
        Replanner.Changes resumed = replanner.materialise(v1, e, cancelled, now);
        assertThat(resumed.replace()).hasSize(14);
        assertThat(resumed.replace()).extracting(o -> o.taskId().localDate()).doesNotContain(ENROLLED);
        assertThat(resumed.create()).isEmpty();

        // a withdrawn subject is not active: nothing is generated for them again
        Enrollment withdrawn = e.withStatus(EnrollmentStatus.WITHDRAWN, "consent-withdrawn");
        assertThat(replanner.materialise(v1, withdrawn, cancelled, now).isEmpty())
                .isTrue();
    }
}
