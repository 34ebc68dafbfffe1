package org.openepro.export;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.batch.SqsBatchProcessor;
import org.openepro.core.json.Json;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.report.SyntheticReports;
import org.openepro.core.snapstart.Priming;
import org.openepro.export.format.ExportLayout;
import org.openepro.export.format.ExportWriter;
import org.openepro.export.profile.Profile;
import org.openepro.export.profile.RecordProfiler;
import org.openepro.export.format.ExporterRegistry;
import org.openepro.export.job.ExportJobStore;
import org.openepro.export.profile.PseudonymStore;
import org.openepro.export.source.FirstReportDay;
import org.openepro.export.stream.PartBufferPool;

/**
 * The export worker (SQS, batch size 1): each message wakes one export job, which runs until it
 * finishes or checkpoints near the deadline and enqueues its continuation. Part buffers, clients
 * and the questionnaire registry are built once per container and reused by every export in it.
 */
public final class ExportWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.get(ExportWorkerHandler.class);
    private static final Pattern EXPORT_ID = Pattern.compile("[0-9a-f-]{36}");
    /** The batch processor starts no record with less than this left; the runner keeps its own, larger margin. */
    private static final Duration START_MARGIN = Duration.ofSeconds(5);

    private final ExportRunner runner;
    private final SqsBatchProcessor batch = new SqsBatchProcessor(1, START_MARGIN);
    private final Metrics metrics = Metrics.forService("export-worker");

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public ExportWorkerHandler() {
        this(System.getenv(), AwsClients.fromEnv(System.getenv()));
        Priming.register("export-worker", ExportWorkerHandler::prime);
    }

    /** Every format's writer over made-up reports of every packaged questionnaire, into no file. */
    static void prime() {
        QuestionnaireRegistry registry = QuestionnaireRegistry.load();
        Instant now = Instant.now();
        ExporterRegistry exporters = ExporterRegistry.standard();
        RecordProfiler profiler = new RecordProfiler(Profile.IDENTIFIED, null);
        for (String name : exporters.names()) {
            try {
                ExportWriter writer = exporters.find(name).orElseThrow().open(OutputStream.nullOutputStream(),
                        ExportLayout.of(registry.all(), Profile.IDENTIFIED, false), null);
                for (QuestionnaireDefinition d : registry.all()) {
                    writer.write(profiler.apply(SyntheticReports.of(d, now)));
                }
                writer.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public ExportWorkerHandler(Map<String, String> env, AwsClients aws) {
        this(env, aws, QuestionnaireRegistry.load());
    }

    /** With other questionnaire definitions than the packaged ones (tests, the local runtime). */
    public ExportWorkerHandler(Map<String, String> env, AwsClients aws, QuestionnaireRegistry questionnaires) {
        this(runner(ExportWorkerConfig.fromEnv(env), aws, questionnaires));
    }

    public ExportWorkerHandler(ExportRunner runner) {
        this.runner = runner;
    }

    private static ExportRunner runner(ExportWorkerConfig config, AwsClients aws, QuestionnaireRegistry questionnaires) {
        return new ExportRunner(config, aws.dynamo(), aws.s3(), aws.sqs(),
                new ExportJobStore(aws.dynamo(), config.exportsTable()), ExporterRegistry.standard(), questionnaires,
                new PseudonymStore(aws.dynamo(), config.exportsTable(),
                        new FirstReportDay(aws.dynamo(), config.projectionsTable()), new SecureRandom()),
                new PartBufferPool(config.partBytes(), config.partsInFlight() + 1),
                Executors.newVirtualThreadPerTaskExecutor(), Clock.systemUTC());
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Log.requestId(context == null ? null : context.getAwsRequestId());
        try {
            return batch.process(event, context, message -> {
                String exportId = exportId(message.getBody());
                if (exportId == null) {
                    // a message no one can act on: drop it rather than cycle it to the dead-letter queue
                    LOG.warn("export.message.invalid", "messageId", message.getMessageId());
                    return;
                }
                ExportRunner.Outcome outcome = runner.run(exportId,
                        () -> context == null ? Long.MAX_VALUE / 4 : context.getRemainingTimeInMillis());
                metrics.count("Exports" + outcome.name().charAt(0) + outcome.name().substring(1).toLowerCase(Locale.ROOT), 1);
                LOG.info("export.message.done", "exportId", exportId, "outcome", outcome.name());
            });
        } finally {
            metrics.count("ExportRows", runner.rowsWrittenSinceLastAsked());
            metrics.flush();
            Log.requestId(null);
        }
    }

    private static String exportId(String body) {
        try {
            JsonNode node = Json.mapper().readTree(body);
            String id = node == null ? null : node.path("exportId").asText(null);
            return id != null && EXPORT_ID.matcher(id).matches() ? id : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
