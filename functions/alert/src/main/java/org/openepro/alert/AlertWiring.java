package org.openepro.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.core.report.ReportStore;
import org.openepro.core.report.SyntheticReports;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The composition root of the alert function (the alert queue's consumer), built once per
 * container from {@link AlertConfig} and {@link AwsClients}. Tests replace the SNS client, the
 * clock or how long a claim in progress is waited for through {@link #builder}.
 */
public final class AlertWiring {
    static final String SERVICE = "alert";
    /** How long a record waits for another container's claim in progress before it comes back later. */
    static final Duration IN_PROGRESS_WAIT = Duration.ofSeconds(2);

    private final AlertConfig config;
    private final ReportStore reports;
    private final QuestionnaireRegistry questionnaires;
    private final AlertRuleEngine engine;
    private final AlertRaiser raiser;
    private final Metrics metrics = Metrics.forService(SERVICE);

    private AlertWiring(Builder b) {
        this.config = b.config;
        this.reports = new ReportStore(b.aws.dynamo(), config.reportsTable());
        this.questionnaires = QuestionnaireRegistry.load();
        this.engine = new AlertRuleEngine(new StudyCatalog(
                questionnaires,
                StudyQuestionnaireStore.readOnly(b.aws.dynamo(), config.questionnairesTable()),
                b.clock));
        this.raiser = new AlertRaiser(
                reports,
                engine,
                new AlertStore(b.aws.dynamo(), config.alertsTable()),
                new AlertPublisher(b.sns != null ? b.sns : b.aws.sns(), config.topicArn()),
                b.clock,
                config.publishLease(),
                b.inProgressWait);
    }

    /** Lambda's wiring: the function's environment, the container's clients, the system clock. */
    public static AlertWiring fromEnv(Map<String, String> env) {
        return builder(AlertConfig.fromEnv(env), AwsClients.fromEnv(env)).build();
    }

    public static Builder builder(AlertConfig config, AwsClients aws) {
        return new Builder(config, aws);
    }

    public AlertConfig config() {
        return config;
    }

    public AlertRaiser raiser() {
        return raiser;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** SnapStart priming: every packaged rule against a made-up report, and one read that marshals like a real one. */
    public void prime() {
        Instant now = Instant.now();
        for (QuestionnaireDefinition d : questionnaires.all()) {
            Report report = ReportItems.fromItem(ReportItems.toItem(SyntheticReports.of(d, now)));
            engine.triggered(report, () -> Optional.of(report));
        }
        ReportMessage message = ReportMessage.CODEC.decode(
                ReportMessage.CODEC.encode(new ReportMessage(SyntheticReports.PRIMING_ID, 1, "PRIMING")));
        reports.get(message.reportId(), message.version());
    }

    /** The wiring with some parts replaced (tests, benchmarks). */
    public static final class Builder {
        private final AlertConfig config;
        private final AwsClients aws;
        private SnsClient sns;
        private Clock clock = Clock.systemUTC();
        private Duration inProgressWait = IN_PROGRESS_WAIT;

        private Builder(AlertConfig config, AwsClients aws) {
            this.config = Objects.requireNonNull(config, "config");
            this.aws = Objects.requireNonNull(aws, "aws");
        }

        /** Replaces the SNS client (e.g. one that fails after publishing). */
        public Builder sns(SnsClient sns) {
            this.sns = sns;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder inProgressWait(Duration wait) {
            this.inProgressWait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        public AlertWiring build() {
            return new AlertWiring(this);
        }
    }
}
