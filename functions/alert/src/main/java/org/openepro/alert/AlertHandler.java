package org.openepro.alert;

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
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.report.ReportMessage;
import org.openepro.core.report.ReportMessageCodec;
import org.openepro.core.report.ReportStore;

/** SQS handler of the alert queue: evaluates clinical alert rules and publishes PHI-free alerts to nurses. */
public final class AlertHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Duration IN_PROGRESS_WAIT = Duration.ofSeconds(2);

    private final SqsBatchProcessor batch;
    // two messages for one report in a batch run one after the other: the second finds the alert published
    private final StripedLocks sameReport = new StripedLocks(64);
    private final AlertRaiser raiser;
    private final Metrics metrics;

    public AlertHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
    }

    public AlertHandler(Map<String, String> env, AwsClients aws) {
        this(AlertConfig.fromEnv(env), aws, Clock.systemUTC());
    }

    public AlertHandler(AlertConfig config, AwsClients aws, Clock clock) {
        this(config.batch().processor(),
                new AlertRaiser(new ReportStore(aws.dynamo(), config.reportsTable()),
                        new AlertRuleEngine(QuestionnaireRegistry.load()),
                        new AlertStore(aws.dynamo(), config.alertsTable()),
                        new AlertPublisher(aws.sns(), config.topicArn()), clock, config.publishLease(),
                        IN_PROGRESS_WAIT),
                Metrics.forService("alert"));
    }

    public AlertHandler(SqsBatchProcessor batch, AlertRaiser raiser, Metrics metrics) {
        this.batch = batch;
        this.raiser = raiser;
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Log.requestId(context == null ? null : context.getAwsRequestId());
        LongAdder published = new LongAdder();
        LongAdder duplicates = new LongAdder();
        try {
            SQSBatchResponse response = batch.process(event, context, record -> {
                ReportMessage message = ReportMessageCodec.parse(record.getBody());
                AlertRaiser.Outcome outcome = sameReport.call(message.reportId(), () -> raiser.raise(message));
                published.add(outcome.published());
                duplicates.add(outcome.duplicates());
            });
            metrics.count("AlertsPublished", published.sum());
            metrics.count("AlertDuplicatesSuppressed", duplicates.sum());
            metrics.count("AlertRecordsFailed", response.getBatchItemFailures().size());
            metrics.flush();
            return response;
        } finally {
            Log.requestId(null);
        }
    }
}
