package org.openepro.export;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.Map;
import org.openepro.core.batch.QueueConsumer;
import org.openepro.core.log.Log;
import org.openepro.core.message.ExportMessage;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.snapstart.Priming;

/**
 * The export worker (SQS, batch size 1): each message wakes one export job, which runs until it
 * finishes or checkpoints near the deadline and enqueues its continuation.
 */
public final class ExportWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.get(ExportWorkerHandler.class);
    private static final Map<ExportRunner.Outcome, Metric> OUTCOMES = Map.of(
            ExportRunner.Outcome.SUCCEEDED, Metric.EXPORTS_SUCCEEDED,
            ExportRunner.Outcome.SUSPENDED, Metric.EXPORTS_SUSPENDED,
            ExportRunner.Outcome.FAILED, Metric.EXPORTS_FAILED,
            ExportRunner.Outcome.RETRYING, Metric.EXPORTS_RETRYING,
            ExportRunner.Outcome.SKIPPED, Metric.EXPORTS_SKIPPED);

    private final QueueConsumer<ExportMessage> consumer;
    private final ExportRunner runner;
    private final Metrics metrics;

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public ExportWorkerHandler() {
        this(ExportWorkerWiring.fromEnv(System.getenv()), true);
    }

    public ExportWorkerHandler(ExportWorkerWiring wiring) {
        this(wiring, false);
    }

    private ExportWorkerHandler(ExportWorkerWiring wiring, boolean snapStart) {
        this.consumer = QueueConsumer.builder(ExportMessage.CODEC, wiring.processor(), wiring.metrics())
                .build();
        this.runner = wiring.runner();
        this.metrics = wiring.metrics();
        if (snapStart) {
            Priming.register(ExportWorkerWiring.SERVICE, wiring::prime);
        }
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return consumer.consume(event, context, (message, ctx) -> {
            try {
                ExportRunner.Outcome outcome = runner.run(
                        message.exportId(), () -> ctx == null ? Long.MAX_VALUE / 4 : ctx.getRemainingTimeInMillis());
                metrics.count(OUTCOMES.get(outcome), 1);
                LOG.info("export.message.done", "exportId", message.exportId(), "outcome", outcome.name());
            } finally {
                metrics.count(Metric.EXPORT_ROWS, runner.rowsWrittenSinceLastAsked());
            }
        });
    }
}
