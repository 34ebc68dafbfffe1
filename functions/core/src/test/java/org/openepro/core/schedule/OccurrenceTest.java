package org.openepro.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.core.schedule.Occurrences.at;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class OccurrenceTest {
    @Test
    void dueEventsAreTheRemindersInOrderThenTheClose() {
        Occurrence o = at("2026-03-28T19:00:00Z", OccurrenceStatus.PENDING);
        assertThat(o.nextDue())
                .contains(new Occurrence.Due(Instant.parse("2026-03-28T19:00:00Z"), Occurrence.DueKind.REMINDER));
        Occurrence after2 = o.withProgress(new Occurrence.Progress(OccurrenceStatus.PENDING, 2, 2, null, null, false));
        assertThat(after2.nextDue())
                .contains(new Occurrence.Due(Instant.parse("2026-03-28T23:00:00Z"), Occurrence.DueKind.CLOSE));
    }

    @Test
    void aMissStillOwingItsAlertIsDueOnceMoreThenNothing() {
        Occurrence missed = at("2026-03-28T19:00:00Z", OccurrenceStatus.MISSED);
        assertThat(missed.nextDue()).isEmpty();
        Occurrence owing =
                missed.withProgress(new Occurrence.Progress(OccurrenceStatus.MISSED, 2, 2, null, null, true));
        assertThat(owing.nextDue()).map(Occurrence.Due::kind).contains(Occurrence.DueKind.ALERT);
        assertThat(at("2026-03-28T19:00:00Z", OccurrenceStatus.COMPLETED).nextDue())
                .isEmpty();
        assertThat(at("2026-03-28T19:00:00Z", OccurrenceStatus.CANCELLED).nextDue())
                .isEmpty();
    }

    @Test
    void taskStatusIsDerivedFromTheClock() {
        Occurrence o = at("2026-03-28T19:00:00Z", OccurrenceStatus.PENDING);
        assertThat(o.taskStatus(Instant.parse("2026-03-28T18:59:59Z"))).isEqualTo(TaskStatus.REQUESTED);
        assertThat(o.taskStatus(Instant.parse("2026-03-28T19:00:00Z"))).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(o.taskStatus(Instant.parse("2026-03-28T23:00:00Z"))).isEqualTo(TaskStatus.FAILED);
        assertThat(at("2026-03-28T19:00:00Z", OccurrenceStatus.MISSED).taskStatus(Instant.EPOCH))
                .isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void taskIdsRoundTripAndRefuseAnythingElse() {
        TaskId id = new TaskId("pain-daily", LocalDate.parse("2026-03-28"), 3);
        assertThat(id.toString()).isEqualTo("pain-daily.2026-03-28.v3");
        assertThat(TaskId.parse(id.toString())).contains(id);
        assertThat(TaskId.parse("pain-daily.2026-02-30.v3")).isEmpty();
        assertThat(TaskId.parse("pain daily.2026-03-28.v3")).isEmpty();
        assertThat(TaskId.parse("pain-daily.2026-03-28.v0")).isEmpty();
        assertThat(TaskId.parse("../x")).isEmpty();
        assertThat(TaskId.parse(null)).isEmpty();
    }
}
