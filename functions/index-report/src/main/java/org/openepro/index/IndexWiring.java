package org.openepro.index;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.core.report.ReportStore;
import org.openepro.core.report.SyntheticReports;

/** The composition root of index-report, built once per container from {@link IndexConfig} and {@link AwsClients}. */
public final class IndexWiring {
    static final String SERVICE = "index-report";
    private static final int MAX_TRANSACTION_ATTEMPTS = 6;
    private static final Duration CONFLICT_PAUSE = Duration.ofMillis(25);

    private final IndexConfig config;
    private final ReportStore reports;
    private final ProjectionItems items;
    private final ReportIndexer indexer;
    private final Metrics metrics = Metrics.forService(SERVICE);

    private IndexWiring(IndexConfig config, AwsClients aws, Clock clock) {
        this.config = config;
        this.reports = new ReportStore(aws.dynamo(), config.reportsTable());
        this.items = new ProjectionItems(config.projectionsTable());
        this.indexer = new ReportIndexer(
                reports, items, new ProjectionWriter(aws.dynamo(), MAX_TRANSACTION_ATTEMPTS, CONFLICT_PAUSE), clock);
    }

    /** Lambda's wiring: the function's environment, the container's clients, the system clock. */
    public static IndexWiring fromEnv(Map<String, String> env) {
        return of(IndexConfig.fromEnv(env), AwsClients.fromEnv(env), Clock.systemUTC());
    }

    public static IndexWiring of(IndexConfig config, AwsClients aws, Clock clock) {
        return new IndexWiring(config, aws, clock);
    }

    public IndexConfig config() {
        return config;
    }

    public ReportIndexer indexer() {
        return indexer;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** SnapStart priming: the CPU path for every packaged questionnaire, and one read that marshals like a real one. */
    public void prime() {
        Instant now = Instant.now();
        for (QuestionnaireDefinition d : QuestionnaireRegistry.load().all()) {
            Report report = ReportItems.fromItem(ReportItems.toItem(SyntheticReports.of(d, now)));
            items.transaction(report, List.of(), now);
        }
        ReportMessage message = ReportMessage.CODEC.decode(
                ReportMessage.CODEC.encode(new ReportMessage(SyntheticReports.PRIMING_ID, 1, "PRIMING")));
        reports.get(message.reportId(), message.version());
    }
}
