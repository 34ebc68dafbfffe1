package org.openepro.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubmissionTimingTest {
    private static final Window WINDOW =
            new Window(Instant.parse("2026-03-28T19:00:00Z"), Instant.parse("2026-03-28T23:00:00Z"));

    @ParameterizedTest(name = "authored {0}, received {1}: {2}")
    @CsvSource({
        // received inside: on time, whatever the device says
        "2026-03-28T20:00:00Z, 2026-03-28T20:00:05Z, ON_TIME",
        "2026-03-28T18:30:00Z, 2026-03-28T19:10:00Z, ON_TIME",
        "2026-03-30T00:00:00Z, 2026-03-28T20:00:00Z, ON_TIME",
        // received before the window: early
        "2026-03-28T18:00:00Z, 2026-03-28T18:00:01Z, EARLY",
        // offline patient: answered inside, synced after the close, clock plausible: on time
        "2026-03-28T22:50:00Z, 2026-03-29T07:00:00Z, ON_TIME",
        "2026-03-28T22:50:00Z, 2026-04-04T22:49:00Z, ON_TIME",
        // answered before the window, synced after it: early
        "2026-03-28T18:00:00Z, 2026-03-29T07:00:00Z, EARLY",
        // answered after the close: late
        "2026-03-28T23:30:00Z, 2026-03-28T23:30:01Z, LATE",
        // implausible: more than a week offline, or authored in the future: receivedAt decides
        "2026-03-28T20:00:00Z, 2026-04-05T20:00:01Z, LATE",
        "2026-03-28T20:00:00Z, 2026-03-28T18:54:00Z, EARLY"
    })
    void verdictFollowsTheDocumentedRules(Instant authored, Instant received, WindowVerdict expected) {
        assertThat(SubmissionTiming.verdict(WINDOW, authored, received)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "authored {0}, received {1}: plausible {2}")
    @CsvSource({
        "2026-03-28T20:05:00Z, 2026-03-28T20:00:00Z, true",
        "2026-03-28T20:05:01Z, 2026-03-28T20:00:00Z, false",
        "2026-03-21T20:00:00Z, 2026-03-28T20:00:00Z, true",
        "2026-03-21T19:59:59Z, 2026-03-28T20:00:00Z, false"
    })
    void aDeviceClockIsPlausibleWithinFiveMinutesAheadAndAWeekBehind(
            Instant authored, Instant received, boolean plausible) {
        assertThat(SubmissionTiming.plausible(authored, received)).isEqualTo(plausible);
    }
}
