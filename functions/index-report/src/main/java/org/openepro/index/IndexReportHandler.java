package org.openepro.index;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.batch.ReportMessageConsumer;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.report.ReportStore;

/** SQS handler of the index queue: builds the projections staff queries and exports read. */
public final class IndexReportHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.get(IndexReportHandler.class);
    private static final int MAX_TRANSACTION_ATTEMPTS = 6;
    private static final Duration CONFLICT_PAUSE = Duration.ofMillis(25);

    private final ReportMessageConsumer consumer;
    private final ReportIndexer indexer;
    private final Metrics metrics;

    public IndexReportHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
    }

    public IndexReportHandler(Map<String, String> env, AwsClients aws) {
        this(IndexConfig.fromEnv(env), aws, Clock.systemUTC());
    }

    public IndexReportHandler(IndexConfig config, AwsClients aws, Clock clock) {
        this(config, new ReportIndexer(new ReportStore(aws.dynamo(), config.reportsTable()),
                new ProjectionItems(config.projectionsTable()),
                new ProjectionWriter(aws.dynamo(), MAX_TRANSACTION_ATTEMPTS, CONFLICT_PAUSE), clock),
                Metrics.forService("index-report"));
    }

    public IndexReportHandler(IndexConfig config, ReportIndexer indexer, Metrics metrics) {
        this.consumer = new ReportMessageConsumer(config.batch().processor(), metrics);
        this.indexer = indexer;
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return consumer.consume(event, context, message -> {
            ProjectionWriter.Outcome outcome = indexer.index(message);
            metrics.count(outcome == ProjectionWriter.Outcome.ALREADY_APPLIED ? "IndexDuplicatesSkipped" : "ReportsIndexed", 1);
            LOG.info("report.indexed", "reportId", message.reportId(), "version", message.version(),
                    "outcome", outcome.name());
        });
    }
}
