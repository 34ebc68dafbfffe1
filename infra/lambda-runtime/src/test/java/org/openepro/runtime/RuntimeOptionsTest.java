package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openepro.core.config.Clocks;

class RuntimeOptionsTest {
    @Test
    void theDemoClockGoesToEveryFunctionWithOneAnchorAndSpeedsTheSchedulesUpAsMuch() {
        // WHEN `make run` is started with the demo clock
        RuntimeOptions options =
                RuntimeOptions.fromEnvironment(Map.of("EPRO_CLOCK", "2026-03-28T18:00:00Z", "EPRO_CLOCK_RATE", "600"));

        // THEN every function instance gets the clock, the rate and one real anchor (so processes agree on the time)
        Map<String, String> env = options.functionEnvironment();
        assertThat(env)
                .containsEntry(Clocks.CLOCK, "2026-03-28T18:00:00Z")
                .containsEntry(Clocks.RATE, "600")
                .containsKey(Clocks.ANCHOR);
        Instant shown = Clocks.fromEnv(Map.of(
                        Clocks.CLOCK,
                        "2026-03-28T18:00:00Z",
                        Clocks.RATE,
                        "600",
                        Clocks.ANCHOR,
                        env.get(Clocks.ANCHOR)))
                .instant();
        assertThat(shown)
                .isAfterOrEqualTo(Instant.parse("2026-03-28T18:00:00Z"))
                .isBefore(Instant.parse("2026-04-28T00:00:00Z"));
        // AND a rate(5 minutes) schedule fires every 5 minutes of that clock; the authorizer keeps real time
        assertThat(options.scheduleSpeedup()).isEqualTo(600.0);
        assertThat(options.clock()).isNotInstanceOf(Clocks.Accelerated.class);
    }

    @Test
    void withoutTheDemoClockFunctionsGetNothingExtra() {
        RuntimeOptions options = RuntimeOptions.fromEnvironment(Map.of());

        assertThat(options.functionEnvironment()).isEmpty();
        assertThat(options.scheduleSpeedup()).isEqualTo(1.0);
    }

    @Test
    void aBadDemoClockIsRefusedAtStartNotInEveryFunction() {
        assertThatThrownBy(() -> RuntimeOptions.fromEnvironment(Map.of("EPRO_CLOCK", "tomorrow")))
                .hasMessageContaining("EPRO_CLOCK");
        assertThatThrownBy(() -> RuntimeOptions.fromEnvironment(
                        Map.of("EPRO_CLOCK", "2026-03-28T18:00:00Z", "EPRO_CLOCK_RATE", "0")))
                .hasMessageContaining("EPRO_CLOCK_RATE");
    }
}
