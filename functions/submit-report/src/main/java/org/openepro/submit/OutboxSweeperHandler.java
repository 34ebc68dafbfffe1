package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.config.Env;
import org.openepro.core.log.Log;
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

    public OutboxSweeperHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
    }

    public OutboxSweeperHandler(Map<String, String> env, AwsClients aws) {
        this(env, aws, new SqsMessageSender(aws.sqs()));
    }

    OutboxSweeperHandler(Map<String, String> env, AwsClients aws, MessageSender sender) {
        SubmitConfig config = SubmitConfig.fromEnv(env);
        SubmissionStore store = new SubmissionStore(aws.dynamo(), config.reportsTable(),
                new AuditLog(aws.dynamo(), config.auditTable()), SubmissionService.IDEMPOTENCY_TTL);
        ReportDelivery delivery = new ReportDelivery(store,
                new QueueDispatcher(sender, config.indexQueueUrl(), config.alertQueueUrl()));
        Duration grace = Duration.ofSeconds(Env.integer(env, "OUTBOX_GRACE_SECONDS", 60));
        this.sweeper = new OutboxSweeper(store, delivery, grace, Clock.systemUTC());
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Log.requestId(context == null ? null : context.getAwsRequestId());
        try {
            OutboxSweeper.Sweep sweep = sweeper.sweep(
                    () -> context == null || context.getRemainingTimeInMillis() > DEADLINE_MARGIN_MS);
            if (sweep.delivered() + sweep.deferred() > 0) {
                LOG.info("outbox.swept", "delivered", sweep.delivered(), "deferred", sweep.deferred(),
                        "skipped", sweep.skipped());
            }
            metrics.count("OutboxDelivered", sweep.delivered());
            metrics.count("OutboxDeferred", sweep.deferred());
            return Map.of("delivered", sweep.delivered(), "deferred", sweep.deferred(), "skipped", sweep.skipped());
        } finally {
            metrics.flush();
            Log.requestId(null);
        }
    }
}
