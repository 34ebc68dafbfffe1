package org.openepro.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openepro.emulator.EmulatedStack;

/**
 * What the template wires to each function, read from the deployed stack: HTTP API routes,
 * SQS event sources (queue, BatchSize, batching window, partial-failure reporting) and
 * schedules. Event types the local runtime does not run are listed, not silently dropped.
 */
public record Wiring(
        List<RouteTable.Route> routes,
        List<QueueSource> queues,
        List<ScheduleSource> schedules,
        List<String> unsupported) {

    /**
     * An SQS event source mapping.
     *
     * @param maximumConcurrency ScalingConfig.MaximumConcurrency: at most this many batches at once (null: no cap)
     */
    public record QueueSource(
            String functionId,
            String eventName,
            String queueId,
            String queueUrl,
            String queueArn,
            int batchSize,
            int batchingWindowSeconds,
            boolean reportsBatchItemFailures,
            Integer maximumConcurrency) {}

    /** A schedule (EventBridge Scheduler or rule) that invokes a function, with the Input it passes (null: none). */
    public record ScheduleSource(String functionId, String eventName, String expression, String input) {}

    public static Wiring from(EmulatedStack stack) {
        List<RouteTable.Route> routes = new ArrayList<>();
        List<QueueSource> queues = new ArrayList<>();
        List<ScheduleSource> schedules = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        // sorted, so the runtime prints and starts things in the same order every time
        Map<String, EmulatedStack.Function> functions = new TreeMap<>(stack.functions());
        functions.forEach((id, fn) -> {
            for (EmulatedStack.Event e : fn.events() == null ? List.<EmulatedStack.Event>of() : fn.events()) {
                switch (e.type()) {
                    case "HttpApi" ->
                        routes.add(new RouteTable.Route(
                                e.method() == null ? "ANY" : e.method(),
                                e.path() == null ? RouteTable.DEFAULT_ROUTE : e.path(),
                                id,
                                e.scopes() == null ? List.of() : e.scopes(),
                                e.publicRoute()));
                    case "SQS" -> {
                        EmulatedStack.Resource queue = stack.resource(e.queue());
                        queues.add(new QueueSource(
                                id,
                                e.name(),
                                e.queue(),
                                queue.ref(),
                                queue.arn(),
                                e.batchSize() == null ? 10 : e.batchSize(),
                                e.maximumBatchingWindowInSeconds() == null ? 0 : e.maximumBatchingWindowInSeconds(),
                                e.functionResponseTypes() != null
                                        && e.functionResponseTypes().contains("ReportBatchItemFailures"),
                                e.maximumConcurrency()));
                    }
                    case "Schedule" -> schedules.add(new ScheduleSource(id, e.name(), e.expression(), e.input()));
                    default -> unsupported.add(id + "." + e.name() + " (" + e.type() + ")");
                }
            }
        });
        routes.sort(Comparator.comparing(RouteTable.Route::path).thenComparing(RouteTable.Route::method));
        return new Wiring(List.copyOf(routes), List.copyOf(queues), List.copyOf(schedules), List.copyOf(unsupported));
    }
}
