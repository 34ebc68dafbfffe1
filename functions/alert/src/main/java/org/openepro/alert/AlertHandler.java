package org.openepro.alert;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.batch.ReportMessageConsumer;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.report.ReportStore;

/** SQS handler of the alert queue: evaluates clinical alert rules and publishes PHI-free alerts to nurses. */
public final class AlertHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Duration IN_PROGRESS_WAIT = Duration.ofSeconds(2);

    private final ReportMessageConsumer consumer;
    private final AlertRaiser raiser;
    private final Metrics metrics;

    public AlertHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
    }

    public AlertHandler(Map<String, String> env, AwsClients aws) {
        this(AlertConfig.fromEnv(env), aws, Clock.systemUTC());
    }

    public AlertHandler(AlertConfig config, AwsClients aws, Clock clock) {
        this(config, new AlertRaiser(new ReportStore(aws.dynamo(), config.reportsTable()),
                        new AlertRuleEngine(QuestionnaireRegistry.load()),
                        new AlertStore(aws.dynamo(), config.alertsTable()),
                        new AlertPublisher(aws.sns(), config.topicArn()), clock, config.publishLease(),
                        IN_PROGRESS_WAIT),
                Metrics.forService("alert"));
    }

    public AlertHandler(AlertConfig config, AlertRaiser raiser, Metrics metrics) {
        this.consumer = new ReportMessageConsumer(config.batch().processor(), metrics);
        this.raiser = raiser;
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return consumer.consume(event, context, message -> {
            AlertRaiser.Outcome outcome = raiser.raise(message);
            metrics.count("AlertsPublished", outcome.published());
            metrics.count("AlertDuplicatesSuppressed", outcome.duplicates());
        });
    }
}
