package org.openepro.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import org.openepro.core.audit.AuditReader;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.batch.SqsBatchProcessor;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.core.report.SyntheticReports;
import org.openepro.core.report.Times;
import org.openepro.core.schedule.ComplianceReader;
import org.openepro.export.format.AuditCsvExporter;
import org.openepro.export.format.ComplianceCsvExporter;
import org.openepro.export.format.ExportLayout;
import org.openepro.export.format.ExportWriter;
import org.openepro.export.format.ExporterRegistry;
import org.openepro.export.job.ExportJobStore;
import org.openepro.export.profile.Profile;
import org.openepro.export.profile.PseudonymStore;
import org.openepro.export.profile.RecordProfiler;
import org.openepro.export.source.FirstReportDay;
import org.openepro.export.stream.PartBufferPool;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The composition root of the export worker, built once per container from
 * {@link ExportWorkerConfig} and {@link AwsClients}: part buffers, clients and the questionnaire
 * registry are built here once and reused by every export the container runs.
 */
public final class ExportWorkerWiring {
    static final String SERVICE = "export-worker";
    /** The batch processor starts no record with less than this left; the runner keeps its own, larger margin. */
    private static final Duration START_MARGIN = Duration.ofSeconds(5);

    private final ExportRunner runner;
    private final QuestionnaireRegistry questionnaires;
    private final Metrics metrics = Metrics.forService(SERVICE);

    private ExportWorkerWiring(ExportWorkerConfig config, AwsClients aws, QuestionnaireRegistry questionnaires) {
        this.questionnaires = questionnaires;
        this.runner = runner(config, aws.dynamo(), aws.s3(), aws.sqs(), questionnaires, Clock.systemUTC());
    }

    /** The runner over these clients and this clock (tests pass a client that fails, or a later clock). */
    static ExportRunner runner(
            ExportWorkerConfig config,
            DynamoDbClient dynamo,
            S3Client s3,
            SqsClient sqs,
            QuestionnaireRegistry questionnaires,
            Clock clock) {
        return new ExportRunner(
                config,
                dynamo,
                s3,
                sqs,
                new ExportJobStore(dynamo, config.exportsTable()),
                ExporterRegistry.standard(),
                new StudyCatalog(
                        questionnaires,
                        StudyQuestionnaireStore.readOnly(dynamo, config.questionnairesTable()),
                        Clock.systemUTC()),
                new PseudonymStore(
                        dynamo,
                        config.exportsTable(),
                        new FirstReportDay(dynamo, config.projectionsTable()),
                        new SecureRandom()),
                new PartBufferPool(config.partBytes(), config.partsInFlight() + 1),
                Executors.newVirtualThreadPerTaskExecutor(),
                clock);
    }

    /** Lambda's wiring: the function's environment, the container's clients, the packaged questionnaires. */
    public static ExportWorkerWiring fromEnv(Map<String, String> env) {
        return of(ExportWorkerConfig.fromEnv(env), AwsClients.fromEnv(env), QuestionnaireRegistry.load());
    }

    /** @param questionnaires the built-in questionnaires (tests add their own); each study's published ones are read from its table */
    public static ExportWorkerWiring of(
            ExportWorkerConfig config, AwsClients aws, QuestionnaireRegistry questionnaires) {
        return new ExportWorkerWiring(config, aws, questionnaires);
    }

    public ExportRunner runner() {
        return runner;
    }

    public Metrics metrics() {
        return metrics;
    }

    /** One export at a time (batch size 1): a job's part buffers are most of the heap. */
    public SqsBatchProcessor processor() {
        return new SqsBatchProcessor(1, START_MARGIN);
    }

    /** SnapStart priming: every format's writer over made-up reports of every packaged questionnaire, into no file. */
    public void prime() {
        Instant now = Instant.now();
        ExporterRegistry exporters = ExporterRegistry.standard();
        RecordProfiler profiler = new RecordProfiler(Profile.IDENTIFIED, null);
        for (String name : exporters.names()) {
            try {
                if (exporters.find(name).orElseThrow() instanceof AuditCsvExporter audit) {
                    AuditCsvExporter.EventWriter events = audit.openEvents(OutputStream.nullOutputStream(), null);
                    events.write(new AuditReader.Event(
                            "00000000-0000-4000-8000-000000000000",
                            "PRIME",
                            "REPORT_CREATED",
                            "prime",
                            "patient",
                            Times.sortable(now),
                            "report",
                            "R-PRIME",
                            "=prime",
                            Map.of("version", "1")));
                    events.finish();
                    continue;
                }
                if (exporters.find(name).orElseThrow() instanceof ComplianceCsvExporter compliance) {
                    ComplianceCsvExporter.RowWriter rows =
                            compliance.openRows(OutputStream.nullOutputStream(), Profile.IDENTIFIED);
                    rows.write(
                            "PRIME",
                            new ComplianceReader.Row(
                                    Times.utcDay(now),
                                    "SITE-PRIME",
                                    "S-PRIME",
                                    new ComplianceReader.Counts(3, 1, 1, 1)),
                            "S-PRIME");
                    rows.finish();
                    continue;
                }
                ExportWriter writer = exporters
                        .find(name)
                        .orElseThrow()
                        .open(
                                OutputStream.nullOutputStream(),
                                ExportLayout.of(questionnaires.all(), Profile.IDENTIFIED, false),
                                null);
                for (QuestionnaireDefinition d : questionnaires.all()) {
                    writer.write(profiler.apply(SyntheticReports.of(d, now)));
                }
                writer.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
