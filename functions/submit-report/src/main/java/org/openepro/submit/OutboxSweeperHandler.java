package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import org.openepro.core.lambda.Invocation;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;

/**
 * Scheduled adapter (EventBridge Scheduler, every minute): runs one outbox sweep and stops
 * starting new deliveries when the invocation nears its timeout.
 */
public final class OutboxSweeperHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    static final long DEADLINE_MARGIN_MS = 5_000;
    private static final Log LOG = Log.get(OutboxSweeperHandler.class);

    private final OutboxSweeper sweeper;
    private final Metrics metrics = Metrics.forService("outbox-sweeper");

    /** Lambda's constructor: once per container. */
    public OutboxSweeperHandler() {
        this(SubmitWiring.fromEnv(System.getenv()));
    }

    public OutboxSweeperHandler(SubmitWiring wiring) {
        this.sweeper = wiring.sweeper();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Invocation.run(context, metrics, () -> {
            OutboxSweeper.Sweep sweep =
                    sweeper.sweep(() -> context == null || context.getRemainingTimeInMillis() > DEADLINE_MARGIN_MS);
            if (sweep.delivered() + sweep.deferred() > 0) {
                LOG.info(
                        "outbox.swept",
                        "delivered",
                        sweep.delivered(),
                        "deferred",
                        sweep.deferred(),
                        "skipped",
                        sweep.skipped());
            }
            metrics.count(Metric.OUTBOX_DELIVERED, sweep.delivered());
            metrics.count(Metric.OUTBOX_DEFERRED, sweep.deferred());
            return Map.of("delivered", sweep.delivered(), "deferred", sweep.deferred(), "skipped", sweep.skipped());
        });
    }
}
