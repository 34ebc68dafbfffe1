package org.openepro.alert;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Map;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.batch.ReportMessageConsumer;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.core.report.ReportMessageCodec;
import org.openepro.core.report.ReportStore;
import org.openepro.core.report.SyntheticReports;
import org.openepro.core.snapstart.Priming;

/** SQS handler of the alert queue: evaluates clinical alert rules and publishes PHI-free alerts to nurses. */
public final class AlertHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Duration IN_PROGRESS_WAIT = Duration.ofSeconds(2);

    private final ReportMessageConsumer consumer;
    private final AlertRaiser raiser;
    private final Metrics metrics;

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public AlertHandler() {
        this(AlertConfig.fromEnv(System.getenv()), AwsClients.fromEnv(System.getenv()), true);
    }

    private AlertHandler(AlertConfig config, AwsClients aws, boolean snapStart) {
        this(config, aws, Clock.systemUTC());
        if (snapStart) {
            Priming.register("alert", () -> prime(config, aws));
        }
    }

    /** Every packaged rule against a made-up report, and one read that marshals like a real one. */
    static void prime(AlertConfig config, AwsClients aws) {
        QuestionnaireRegistry registry = QuestionnaireRegistry.load();
        AlertRuleEngine engine = new AlertRuleEngine(registry);
        Instant now = Instant.now();
        for (QuestionnaireDefinition d : registry.all()) {
            Report report = ReportItems.fromItem(ReportItems.toItem(SyntheticReports.of(d, now)));
            engine.triggered(report, () -> Optional.of(report));
        }
        ReportMessageCodec.parse("{\"reportId\":\"" + SyntheticReports.PRIMING_ID + "\",\"version\":1}");
        new ReportStore(aws.dynamo(), config.reportsTable()).get(SyntheticReports.PRIMING_ID, 1);
    }

    public AlertHandler(Map<String, String> env, AwsClients aws) {
        this(AlertConfig.fromEnv(env), aws, Clock.systemUTC());
    }

    public AlertHandler(AlertConfig config, AwsClients aws, Clock clock) {
        this(config, new AlertRaiser(new ReportStore(aws.dynamo(), config.reportsTable()),
                        new AlertRuleEngine(new StudyCatalog(QuestionnaireRegistry.load(),
                                StudyQuestionnaireStore.readOnly(aws.dynamo(), config.questionnairesTable()), clock)),
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
