package org.openepro.schedule;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.config.Clocks;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;
import org.openepro.schedule.scheduler.SlotProcessor;

/**
 * Scheduled adapter (EventBridge Scheduler, every 5 minutes): one {@link SlotProcessor} run, which
 * stops starting slots when the invocation nears its timeout (the next run carries on from its cursor).
 */
public final class SchedulerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    static final long DEADLINE_MARGIN_MS = 30_000;

    private final SlotProcessor processor;
    private final Metrics metrics = Metrics.forService("scheduler");

    /** Lambda's constructor: once per container. */
    public SchedulerHandler() {
        this(ScheduleWiring.scheduler(
                        ScheduleConfig.scheduler(System.getenv()),
                        AwsClients.fromEnv(System.getenv()),
                        Clocks.fromEnv(System.getenv()))
                .slotProcessor());
    }

    public SchedulerHandler(SlotProcessor processor) {
        this.processor = processor;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Log.requestId(context == null ? null : context.getAwsRequestId());
        try {
            SlotProcessor.Summary s =
                    processor.run(() -> context == null || context.getRemainingTimeInMillis() > DEADLINE_MARGIN_MS);
            metrics.count(Metric.REMINDERS_SENT, s.reminders());
            metrics.count(Metric.WINDOWS_MISSED, s.missed());
            metrics.count(Metric.MISSED_PATTERN_ALERTS, s.alerts());
            metrics.count(Metric.SCHEDULE_EVENTS_FAILED, s.failures());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("slots", s.slots());
            out.put("reminders", s.reminders());
            out.put("missed", s.missed());
            out.put("alerts", s.alerts());
            out.put("topUps", s.topUps());
            out.put("duplicates", s.duplicates());
            out.put("failures", s.failures());
            return out;
        } finally {
            metrics.flush();
            Log.requestId(null);
        }
    }
}
