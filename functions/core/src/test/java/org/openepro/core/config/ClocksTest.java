package org.openepro.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClocksTest {
    @Test
    void withoutTheLocalSettingsItIsTheSystemClock() {
        assertThat(Clocks.fromEnv(Map.of())).isEqualTo(Clock.systemUTC());
    }

    @Test
    void anAcceleratedClockShowsTheStartAtTheAnchorAndRunsAtTheRate() {
        Instant real = Instant.parse("2030-01-01T00:00:00Z");
        Clock fixedReal = Clock.fixed(real.plusSeconds(6), ZoneOffset.UTC);
        Clock fast = new Clocks.Accelerated(fixedReal, real, Instant.parse("2026-03-28T18:00:00Z"), 600);

        // six real seconds at 600x are one hour
        assertThat(fast.instant()).isEqualTo(Instant.parse("2026-03-28T19:00:00Z"));
    }

    @Test
    void theAnchorTheLocalRuntimeSetsIsWhereTheClockStarts() {
        // GIVEN the runtime anchored the clock a day ago (so every function it starts agrees with it)
        long aDayAgo = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
        Map<String, String> env =
                Map.of(Clocks.CLOCK, "2026-03-28T18:00:00Z", Clocks.RATE, "1", Clocks.ANCHOR, Long.toString(aDayAgo));

        // THEN it shows a day after the start, not the start (the hour's margin is for a slow machine)
        assertThat(Clocks.fromEnv(env).instant())
                .isBetween(Instant.parse("2026-03-29T17:00:00Z"), Instant.parse("2026-03-29T19:00:00Z"));
    }

    @Test
    void refusesSettingsItCannotRead() {
        assertThatThrownBy(() -> Clocks.fromEnv(Map.of(Clocks.CLOCK, "tomorrow")))
                .hasMessageContaining("EPRO_CLOCK");
        assertThatThrownBy(() -> Clocks.fromEnv(Map.of(Clocks.CLOCK, "2026-03-28T18:00:00Z", Clocks.RATE, "0")))
                .hasMessageContaining("EPRO_CLOCK_RATE");
    }
}
