package org.openepro.runtime;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openepro.runtime.lambda.FunctionPool;
import org.openepro.runtime.lambda.InvokeResult;

/**
 * A schedule of the template firing its function: the first run one interval after start,
 * as EventBridge does, then every interval, with the schedule's Input as the event ({@code {}}
 * when it has none). A failed run is logged, not retried (Lambda would retry an asynchronous
 * invocation twice).
 */
public final class ScheduledTrigger implements AutoCloseable {
    private final Wiring.ScheduleSource source;
    private final FunctionPool function;
    private final Duration interval;
    private final Console console;
    private final ScheduledExecutorService timer;

    private ScheduledTrigger(Wiring.ScheduleSource source, FunctionPool function, Duration interval, Console console) {
        this.source = source;
        this.function = function;
        this.interval = interval;
        this.console = console;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("schedule-" + source.functionId()).factory());
    }

    /**
     * Starts firing {@code source}; {@code speedup} divides the interval (tests run a
     * {@code rate(1 minute)} in a second). The interval never goes below 100 ms.
     */
    public static ScheduledTrigger start(
            Wiring.ScheduleSource source, FunctionPool function, Duration interval, double speedup, Console console) {
        long millis = Math.max(100, (long) (interval.toMillis() / Math.max(1.0, speedup)));
        ScheduledTrigger trigger = new ScheduledTrigger(source, function, Duration.ofMillis(millis), console);
        trigger.timer.scheduleAtFixedRate(trigger::fire, millis, millis, TimeUnit.MILLISECONDS);
        return trigger;
    }

    public Duration interval() {
        return interval;
    }

    private void fire() {
        InvokeResult result = function.invoke(LambdaEvents.schedule(source.input()));
        switch (result.status()) {
            case SUCCEEDED ->
                console.line(
                        "%s  scheduled (%s)  %d ms",
                        function.id(), source.expression(), result.duration().toMillis());
            case TIMED_OUT ->
                console.line(
                        "%s  scheduled run took %d ms, over its Timeout of %d s",
                        function.id(),
                        result.duration().toMillis(),
                        function.timeout().toSeconds());
            default -> console.line("%s  scheduled run failed (%s)", function.id(), result.errorType());
        }
    }

    /** Stops firing; a run in progress gets {@link LocalRuntime#SHUTDOWN_GRACE} to finish. */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(LocalRuntime.SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
