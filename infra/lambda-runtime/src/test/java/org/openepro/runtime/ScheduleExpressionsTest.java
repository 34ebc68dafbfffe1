package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleExpressionsTest {
    @Test
    void readsRates() {
        assertThat(ScheduleExpressions.rate("rate(1 minute)")).contains(Duration.ofMinutes(1));
        assertThat(ScheduleExpressions.rate("rate(15 minutes)")).contains(Duration.ofMinutes(15));
        assertThat(ScheduleExpressions.rate(" rate(2 hours) ")).contains(Duration.ofHours(2));
        assertThat(ScheduleExpressions.rate("rate(1 day)")).contains(Duration.ofDays(1));
    }

    @Test
    void cronAndOneTimeSchedulesAreNotRunLocally() {
        assertThat(ScheduleExpressions.rate("cron(0 12 * * ? *)")).isEmpty();
        assertThat(ScheduleExpressions.rate("at(2026-01-01T00:00:00)")).isEmpty();
    }

    @Test
    void refusesWhatIsNotAScheduleExpression() {
        assertThatThrownBy(() -> ScheduleExpressions.rate("rate(0 minutes)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScheduleExpressions.rate("rate(5 seconds)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScheduleExpressions.rate("every minute")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScheduleExpressions.rate(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
