package org.openepro.index;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.batch.ReportMessageConsumer;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.core.report.ReportMessageCodec;
import org.openepro.core.report.ReportStore;
import org.openepro.core.report.SyntheticReports;
import org.openepro.core.snapstart.Priming;

/** SQS handler of the index queue: builds the projections staff queries and exports read. */
public final class IndexReportHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.get(IndexReportHandler.class);
    private static final int MAX_TRANSACTION_ATTEMPTS = 6;
    private static final Duration CONFLICT_PAUSE = Duration.ofMillis(25);

    private final ReportMessageConsumer consumer;
    private final ReportIndexer indexer;
    private final Metrics metrics;

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public IndexReportHandler() {
        this(IndexConfig.fromEnv(System.getenv()), AwsClients.fromEnv(System.getenv()), true);
    }

    private IndexReportHandler(IndexConfig config, AwsClients aws, boolean snapStart) {
        this(config, aws, Clock.systemUTC());
        if (snapStart) {
            Priming.register("index-report", () -> prime(config, aws));
        }
    }

    /** The CPU path for every packaged questionnaire, and one read that marshals like a real one. */
    static void prime(IndexConfig config, AwsClients aws) {
        ProjectionItems items = new ProjectionItems(config.projectionsTable());
        Instant now = Instant.now();
        for (QuestionnaireDefinition d : QuestionnaireRegistry.load().all()) {
            Report report = ReportItems.fromItem(ReportItems.toItem(SyntheticReports.of(d, now)));
            items.transaction(report, List.of(), now);
        }
        ReportMessageCodec.parse("{\"reportId\":\"" + SyntheticReports.PRIMING_ID + "\",\"version\":1}");
        new ReportStore(aws.dynamo(), config.reportsTable()).get(SyntheticReports.PRIMING_ID, 1);
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
