package org.openepro.index;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.batch.SqsBatchProcessor;
import org.openepro.core.batch.StripedLocks;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.report.ReportMessage;
import org.openepro.core.report.ReportMessageCodec;
import org.openepro.core.report.ReportStore;

/** SQS handler of the index queue: builds the projections staff queries and exports read. */
public final class IndexReportHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.get(IndexReportHandler.class);
    private static final int MAX_TRANSACTION_ATTEMPTS = 6;
    private static final Duration CONFLICT_PAUSE = Duration.ofMillis(25);

    private final SqsBatchProcessor batch;
    // two messages for one report in a batch run one after the other, not racing for the marker
    private final StripedLocks sameReport = new StripedLocks(64);
    private final ReportIndexer indexer;
    private final Metrics metrics;

    public IndexReportHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
    }

    public IndexReportHandler(Map<String, String> env, AwsClients aws) {
        this(IndexConfig.fromEnv(env), aws, Clock.systemUTC());
    }

    public IndexReportHandler(IndexConfig config, AwsClients aws, Clock clock) {
        this(config.batch().processor(),
                new ReportIndexer(new ReportStore(aws.dynamo(), config.reportsTable()),
                        new ProjectionItems(config.projectionsTable()),
                        new ProjectionWriter(aws.dynamo(), MAX_TRANSACTION_ATTEMPTS, CONFLICT_PAUSE), clock),
                Metrics.forService("index-report"));
    }

    public IndexReportHandler(SqsBatchProcessor batch, ReportIndexer indexer, Metrics metrics) {
        this.batch = batch;
        this.indexer = indexer;
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Log.requestId(context == null ? null : context.getAwsRequestId());
        LongAdder indexed = new LongAdder();
        LongAdder duplicates = new LongAdder();
        try {
            SQSBatchResponse response = batch.process(event, context, record -> {
                ReportMessage message = ReportMessageCodec.parse(record.getBody());
                ProjectionWriter.Outcome outcome = sameReport.call(message.reportId(), () -> indexer.index(message));
                (outcome == ProjectionWriter.Outcome.ALREADY_APPLIED ? duplicates : indexed).increment();
                LOG.info("report.indexed", "reportId", message.reportId(), "version", message.version(),
                        "outcome", outcome.name(), "messageId", record.getMessageId());
            });
            metrics.count("ReportsIndexed", indexed.sum());
            metrics.count("IndexDuplicatesSkipped", duplicates.sum());
            metrics.count("IndexRecordsFailed", response.getBatchItemFailures().size());
            metrics.flush();
            return response;
        } finally {
            Log.requestId(null);
        }
    }
}
