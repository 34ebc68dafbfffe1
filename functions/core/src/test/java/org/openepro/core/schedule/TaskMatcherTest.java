package org.openepro.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.core.schedule.Occurrences.at;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskMatcherTest {
    private final Occurrence yesterday = at("2026-03-27T19:00:00Z", OccurrenceStatus.MISSED);
    private final Occurrence today = at("2026-03-28T19:00:00Z", OccurrenceStatus.PENDING);
    private final Occurrence tomorrow = at("2026-03-29T18:00:00Z", OccurrenceStatus.PENDING);

    private TaskMatcher.Match match(List<Occurrence> occ, String authored, String received) {
        return TaskMatcher.match(occ, Instant.parse(authored), Instant.parse(received));
    }

    @Test
    void aSubmissionInsideAnOpenWindowAnswersItOnTime() {
        var m = match(List.of(yesterday, today, tomorrow), "2026-03-28T20:00:00Z", "2026-03-28T20:00:01Z");
        assertThat(m.occurrence()).contains(today);
        assertThat(m.verdict()).isEqualTo(WindowVerdict.ON_TIME);
        assertThat(m.completes()).isTrue();
    }

    @Test
    void anOfflineAnswerSyncedAfterTheCloseAnswersTheWindowItWasGivenIn() {
        var m = match(List.of(yesterday, today, tomorrow), "2026-03-28T22:30:00Z", "2026-03-29T06:00:00Z");
        assertThat(m.occurrence()).contains(today);
        assertThat(m.verdict()).isEqualTo(WindowVerdict.ON_TIME);
    }

    @Test
    void anAnswerBetweenWindowsFillsTheMostRecentMissedOneLate() {
        var m = match(List.of(yesterday, tomorrow), "2026-03-28T12:00:00Z", "2026-03-28T12:00:01Z");
        assertThat(m.occurrence()).contains(yesterday);
        assertThat(m.verdict()).isEqualTo(WindowVerdict.LATE);
        assertThat(m.completes()).isTrue();
    }

    @Test
    void anAnswerBeforeTheFirstWindowIsEarlyAndCompletesNothing() {
        var m = match(List.of(tomorrow), "2026-03-29T10:00:00Z", "2026-03-29T10:00:01Z");
        assertThat(m.occurrence()).contains(tomorrow);
        assertThat(m.verdict()).isEqualTo(WindowVerdict.EARLY);
        assertThat(m.completes()).isFalse();
    }

    @Test
    void aSecondAnswerInACompletedWindowIsUnscheduled() {
        var done = today.withProgress(today.progress().withStatus(OccurrenceStatus.COMPLETED));
        var m = match(List.of(yesterday, done, tomorrow), "2026-03-28T21:00:00Z", "2026-03-28T21:00:01Z");
        assertThat(m.occurrence()).isEmpty();
        assertThat(m.verdict()).isEqualTo(WindowVerdict.UNSCHEDULED);
    }

    @Test
    void cancelledOccurrencesAreNeverMatched() {
        var cancelled = today.withProgress(today.progress().withStatus(OccurrenceStatus.CANCELLED));
        var m = match(List.of(cancelled), "2026-03-28T21:00:00Z", "2026-03-28T21:00:01Z");
        assertThat(m.verdict()).isEqualTo(WindowVerdict.UNSCHEDULED);
    }

    @Test
    void noOccurrencesMeansUnscheduled() {
        assertThat(match(List.of(), "2026-03-28T21:00:00Z", "2026-03-28T21:00:01Z")
                        .verdict())
                .isEqualTo(WindowVerdict.UNSCHEDULED);
    }
}
