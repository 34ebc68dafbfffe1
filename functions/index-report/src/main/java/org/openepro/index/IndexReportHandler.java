package org.openepro.index;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.openepro.core.batch.QueueConsumer;
import org.openepro.core.log.Log;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.snapstart.Priming;

/** SQS handler of the index queue: builds the projections staff queries and exports read. */
public final class IndexReportHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.get(IndexReportHandler.class);

    private final QueueConsumer<ReportMessage> consumer;
    private final ReportIndexer indexer;
    private final Metrics metrics;

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public IndexReportHandler() {
        this(IndexWiring.fromEnv(System.getenv()), true);
    }

    public IndexReportHandler(IndexWiring wiring) {
        this(wiring, false);
    }

    private IndexReportHandler(IndexWiring wiring, boolean snapStart) {
        this.consumer = QueueConsumer.builder(
                        ReportMessage.CODEC, wiring.config().batch().processor(), wiring.metrics())
                .oneAtATimePer(ReportMessage::reportId)
                .build();
        this.indexer = wiring.indexer();
        this.metrics = wiring.metrics();
        if (snapStart) {
            Priming.register(IndexWiring.SERVICE, wiring::prime);
        }
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return consumer.consume(event, context, (message, ctx) -> {
            ProjectionWriter.Outcome outcome = indexer.index(message);
            metrics.count(
                    outcome == ProjectionWriter.Outcome.ALREADY_APPLIED
                            ? Metric.INDEX_DUPLICATES_SKIPPED
                            : Metric.REPORTS_INDEXED,
                    1);
            LOG.info(
                    "report.indexed",
                    "reportId",
                    message.reportId(),
                    "version",
                    message.version(),
                    "outcome",
                    outcome.name());
        });
    }
}
