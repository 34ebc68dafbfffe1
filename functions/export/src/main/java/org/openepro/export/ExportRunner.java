package org.openepro.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.openepro.core.audit.AuditEntity;
import org.openepro.core.audit.AuditReader;
import org.openepro.core.http.TransientFailures;
import org.openepro.core.json.Json;
import org.openepro.core.log.Log;
import org.openepro.core.message.ExportMessage;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.core.report.ReportStore;
import org.openepro.core.report.Times;
import org.openepro.core.schedule.ComplianceReader;
import org.openepro.export.format.AuditCsvExporter;
import org.openepro.export.format.ComplianceCsvExporter;
import org.openepro.export.format.DataDictionary;
import org.openepro.export.format.ExportLayout;
import org.openepro.export.format.ExportLimitException;
import org.openepro.export.format.ExportRecord;
import org.openepro.export.format.ExportWriter;
import org.openepro.export.format.Exporter;
import org.openepro.export.format.ExporterRegistry;
import org.openepro.export.job.ExportJob;
import org.openepro.export.job.ExportJobStore;
import org.openepro.export.job.ExportSpec;
import org.openepro.export.job.ExportStatus;
import org.openepro.export.job.JobCheckpoint;
import org.openepro.export.job.Provenance;
import org.openepro.export.profile.PseudonymSource;
import org.openepro.export.profile.RecordProfiler;
import org.openepro.export.sort.RecordSorter;
import org.openepro.export.sort.S3ScratchStore;
import org.openepro.export.source.ProjectionQuery;
import org.openepro.export.source.QueryPosition;
import org.openepro.export.stream.MultipartSink;
import org.openepro.export.stream.PartBufferPool;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runs one segment of an export job: claims the job's lease, streams rows from the projections
 * through the format's writer into a multipart upload, and either finishes the file or, near the
 * invocation's deadline, checkpoints and enqueues its own continuation.
 *
 * <p>Queue messages only wake jobs up; the job item is the truth. A message for a job that is
 * finished, or held by a live invocation, is dropped. Errors release the lease (the checkpoint
 * stays) and schedule a delayed retry, up to {@code maxAttempts}; format limits fail the job with
 * a reason code. One instance per container; one export at a time.
 */
public final class ExportRunner {
    /** What one invocation did with the job. */
    public enum Outcome {
        SUCCEEDED,
        SUSPENDED,
        FAILED,
        RETRYING,
        SKIPPED
    }

    private final AtomicLong rowsWritten = new AtomicLong();

    /** Rows written to files since the last call (for the ExportRows metric). */
    public long rowsWrittenSinceLastAsked() {
        return rowsWritten.getAndSet(0);
    }

    private static final Log LOG = Log.get(ExportRunner.class);
    private static final Duration LEASE_SLACK = Duration.ofSeconds(30);
    private static final int RETRY_DELAY_SECONDS = 30;
    // SQS's longest DelaySeconds
    private static final int MAX_DELAY_SECONDS = 900;
    private static final int LEASE_WAKE_SLACK_SECONDS = 5;
    private static final int DEADLINE_CHECK_ROWS = 32;
    // records a sorting export holds before it spills a sorted run: about 2 KB each, some 40 MB at most
    private static final int SORT_RUN_RECORDS = 20_000;
    // audit events a Query page asks for: a few hundred bytes each
    private static final int AUDIT_PAGE_EVENTS = 500;

    private final ExportWorkerConfig config;
    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final SqsClient sqs;
    private final ExportJobStore jobs;
    private final ExporterRegistry exporters;
    private final StudyCatalog questionnaires;
    private final PseudonymSource pseudonyms;
    private final PartBufferPool pool;
    private final ExecutorService io;
    private final Clock clock;
    private final AuditReader auditTrail;
    private final ComplianceReader complianceCounters;

    public ExportRunner(
            ExportWorkerConfig config,
            DynamoDbClient dynamo,
            S3Client s3,
            SqsClient sqs,
            ExportJobStore jobs,
            ExporterRegistry exporters,
            StudyCatalog questionnaires,
            PseudonymSource pseudonyms,
            PartBufferPool pool,
            ExecutorService io,
            Clock clock) {
        this.config = config;
        this.dynamo = dynamo;
        this.s3 = s3;
        this.sqs = sqs;
        this.jobs = jobs;
        this.exporters = exporters;
        this.questionnaires = questionnaires;
        this.pseudonyms = pseudonyms;
        this.pool = pool;
        this.io = io;
        this.clock = clock;
        this.auditTrail = new AuditReader(dynamo, config.auditTable());
        this.complianceCounters = new ComplianceReader(dynamo, config.scheduleTable());
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** @param remainingMillis the invocation's remaining time (Lambda's Context) */
    public Outcome run(String exportId, LongSupplier remainingMillis) {
        Instant now = clock.instant();
        String owner = UUID.randomUUID().toString();
        Instant leaseUntil = now.plusMillis(remainingMillis.getAsLong()).plus(LEASE_SLACK);
        Optional<ExportJob> claimed;
        try {
            claimed = jobs.claim(exportId, owner, now, leaseUntil);
        } catch (RuntimeException e) {
            // the claim may have taken effect with its answer lost: until its lease passes, no one may take the job
            return wakeAfterLease(exportId, leaseUntil, e);
        }
        if (claimed.isEmpty()) {
            LOG.info("export.message.skipped", "exportId", exportId);
            return Outcome.SKIPPED;
        }
        ExportJob job = claimed.get();
        Optional<Exporter> exporter = exporters.find(job.spec().format());
        if (exporter.isEmpty()) {
            return fail(job, owner, null, "UNKNOWN_FORMAT");
        }
        if (job.segment() > config.maxSegments()) {
            return fail(job, owner, null, "TOO_MANY_SEGMENTS");
        }
        Segment segment = new Segment(job, owner, exporter.get(), remainingMillis);
        try {
            return segment.run();
        } catch (ExportLimitException e) {
            return fail(job, owner, segment.sink, e.reason());
        } catch (IOException | RuntimeException e) {
            LOG.error("export.segment.failed", e, "exportId", exportId, "segment", job.segment());
            return retryLater(job, owner, leaseUntil, segment.sink);
        }
    }

    /**
     * After a transient failure that may have left this invocation's lease on the job (a claim or a release
     * whose answer never came): wakes the job once that lease has passed, since a wake-up any sooner would find
     * the job held and be dropped. Anything else, or a lease that outlasts SQS's longest delay, is rethrown: the
     * record fails and its message returns after the queue's visibility timeout (6x the function's Timeout,
     * longer than any lease), then goes to the dead-letter queue after its receives.
     */
    private Outcome wakeAfterLease(String exportId, Instant leaseUntil, RuntimeException failure) {
        long seconds = Math.max(
                RETRY_DELAY_SECONDS,
                Duration.between(clock.instant(), leaseUntil).toSeconds() + LEASE_WAKE_SLACK_SECONDS);
        if (!TransientFailures.isTransient(failure) || seconds > MAX_DELAY_SECONDS) {
            throw failure;
        }
        LOG.warn(
                "export.lease.unreleased",
                "exportId",
                exportId,
                "errorType",
                failure.getClass().getName(),
                "retryInSeconds",
                seconds);
        try {
            wakeUp(exportId, (int) seconds);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            throw failure;
        }
        return Outcome.RETRYING;
    }

    private void wakeUp(String exportId, int delaySeconds) {
        sqs.sendMessage(b -> b.queueUrl(config.queueUrl())
                .messageBody(ExportMessage.CODEC.encode(new ExportMessage(exportId)))
                .delaySeconds(delaySeconds));
    }

    private Outcome fail(ExportJob job, String owner, MultipartSink sink, String reason) {
        if (sink != null) {
            sink.abort();
        }
        jobs.fail(job.exportId(), owner, reason, clock.instant());
        LOG.warn("export.failed", "exportId", job.exportId(), "reason", reason);
        return Outcome.FAILED;
    }

    private Outcome retryLater(ExportJob job, String owner, Instant leaseUntil, MultipartSink sink) {
        if (sink != null) {
            sink.release(); // keep the upload: the checkpoint may refer to it
        }
        Optional<Integer> attempts;
        try {
            attempts = jobs.release(job.exportId(), owner);
        } catch (RuntimeException e) {
            return wakeAfterLease(job.exportId(), leaseUntil, e);
        }
        if (attempts.isEmpty()) {
            return Outcome.SKIPPED; // the lease was lost: whoever holds it carries on
        }
        if (attempts.get() >= config.maxAttempts()) {
            Optional<ExportJob> again = jobs.claim(
                    job.exportId(), owner, clock.instant(), clock.instant().plus(LEASE_SLACK));
            if (again.isPresent()) {
                abortUpload(again.get());
                jobs.fail(job.exportId(), owner, "FAILED_AFTER_RETRIES", clock.instant());
            }
            return Outcome.FAILED;
        }
        wakeUp(job.exportId(), RETRY_DELAY_SECONDS);
        return Outcome.RETRYING;
    }

    private void abortUpload(ExportJob job) {
        if (job.checkpoint() == null || job.checkpoint().file().uploadId() == null) {
            return;
        }
        Exporter e = exporters.find(job.spec().format()).orElseThrow();
        try {
            s3.abortMultipartUpload(b -> b.bucket(config.bucket())
                    .key(ExportObjects.dataKey(
                            job.exportId(), e.format(job.spec().layout()).fileExtension()))
                    .uploadId(job.checkpoint().file().uploadId()));
        } catch (RuntimeException ignored) {
            // the bucket's lifecycle aborts incomplete uploads after a day
        }
    }

    /** One invocation's work on a job. */
    private final class Segment {
        private final ExportJob job;
        private final String owner;
        private final Exporter exporter;
        /** What the format writes in the job's layout (a zip, for a text format per questionnaire). */
        private final Exporter.Format file;

        private final LongSupplier remainingMillis;
        private final MultipartSink.Target target;
        private MultipartSink sink;
        private String resumedTail;
        private String resumedSubjects;

        Segment(ExportJob job, String owner, Exporter exporter, LongSupplier remainingMillis) {
            this.job = job;
            this.owner = owner;
            this.exporter = exporter;
            this.file = exporter.format(job.spec().layout());
            this.remainingMillis = remainingMillis;
            this.target = new MultipartSink.Target(
                    config.bucket(),
                    ExportObjects.dataKey(job.exportId(), file.fileExtension()),
                    file.contentType(),
                    config.encryption());
        }

        Outcome run() throws IOException {
            JobCheckpoint checkpoint = job.checkpoint();
            long rows = 0;
            long fileRows = 0;
            Instant asOf = clock.instant();
            Set<String> versions = new LinkedHashSet<>();
            Set<String> subjects = new HashSet<>();
            Set<String> sites = new TreeSet<>();
            List<ExportWriter.Entry> contents = List.of();
            if (checkpoint != null && file.resumable()) {
                sink = resume(checkpoint);
                if (sink != null) {
                    resumedTail = checkpoint.file().tailKey();
                    resumedSubjects = checkpoint.subjectsKey();
                    rows = job.rowCount();
                    fileRows = checkpoint.fileRows();
                    asOf = checkpoint.asOf() != null ? checkpoint.asOf() : job.createdAt();
                    versions.addAll(job.questionnaireVersions());
                    subjects.addAll(readSubjects(checkpoint.subjectsKey()));
                } else {
                    checkpoint = null;
                }
            } else {
                checkpoint = null;
            }
            if (sink == null) {
                // a first start, or a restart after an invocation died without a usable checkpoint
                sink = MultipartSink.start(s3, io, pool, target, config.maxParts());
            }
            if (exporter instanceof AuditCsvExporter audit) {
                return auditTrail(audit, checkpoint, rows, fileRows, asOf, subjects);
            }
            if (exporter instanceof ComplianceCsvExporter format) {
                return compliance(format, asOf);
            }
            ExportSpec spec = job.spec();
            ExportLayout layout = ExportLayout.of(definitions(), spec.profile(), spec.labels(), spec.layout());
            RecordProfiler profiler = new RecordProfiler(spec.profile(), pseudonyms);
            QueryPosition start = checkpoint != null ? checkpoint.position() : QueryPosition.startOf(spec.from());
            Comparator<ExportRecord> order = exporter.order(spec.layout());
            logStarted(checkpoint != null, rows);
            try (ProjectionQuery query = new ProjectionQuery(
                            dynamo,
                            config.projectionsTable(),
                            new ProjectionQuery.Scope(
                                    spec.studyId(), spec.siteId(), spec.from(), spec.to(), spec.questionnaires()),
                            config.pageLimit(),
                            io,
                            start);
                    RecordSorter sorter = order == null
                            ? null
                            : new RecordSorter(
                                    order,
                                    new S3ScratchStore(
                                            s3,
                                            config.bucket(),
                                            ExportObjects.scratchPrefix(job.exportId(), job.segment()),
                                            config.encryption()),
                                    SORT_RUN_RECORDS)) {
                ExportWriter writer = order == null
                        ? exporter.open(sink, layout, checkpoint != null ? checkpoint.writerState() : null)
                        : null;
                int sinceCheck = 0;
                Map<String, AttributeValue> item;
                while ((item = query.next()) != null) {
                    Report report = ReportItems.fromItem(item);
                    versions.add(report.questionnaireCanonical());
                    ExportRecord record = profiler.apply(report);
                    subjects.add(record.subject());
                    sites.add(record.siteId());
                    if (writer != null) {
                        writer.write(record);
                        fileRows += layout.rowsOf(record);
                    } else {
                        if (exporter.history()
                                && report.version() > 1
                                && spec.profile().keepsReportIds()) {
                            for (Report earlier : versions(report)) {
                                sorter.add(profiler.apply(earlier));
                            }
                        }
                        sorter.add(record);
                    }
                    rows++;
                    rowsWritten.incrementAndGet();
                    if (++sinceCheck == DEADLINE_CHECK_ROWS) {
                        sinceCheck = 0;
                        if (remainingMillis.getAsLong()
                                < config.deadlineMargin().toMillis()) {
                            if (writer == null) {
                                return fail(job, owner, sink, "DEADLINE_FORMAT_NOT_RESUMABLE");
                            }
                            return suspend(writer, query.position(), rows, versions, asOf, fileRows, subjects);
                        }
                    }
                }
                if (writer == null) {
                    // the sorted formats write once everything is read: describe only what was exported
                    layout = ExportLayout.of(used(versions), spec.profile(), spec.labels(), spec.layout())
                            .withFacts(new ExportLayout.Facts(
                                    spec.studyId(), new ArrayList<>(sites), asOf, job.exportId()));
                    writer = exporter.open(sink, layout, null);
                    for (Iterator<ExportRecord> it = sorter.sorted(); it.hasNext(); ) {
                        ExportRecord record = it.next();
                        writer.write(record);
                        fileRows += layout.rowsOf(record);
                        if (++sinceCheck >= DEADLINE_CHECK_ROWS) {
                            sinceCheck = 0;
                            if (remainingMillis.getAsLong()
                                    < config.deadlineMargin().toMillis()) {
                                return fail(job, owner, sink, "DEADLINE_FORMAT_NOT_RESUMABLE");
                            }
                        }
                    }
                }
                writer.finish();
                contents = writer.contents();
            }
            return complete(
                    rows, fileRows, subjects, asOf, new ArrayList<>(versions), contents, DataDictionary.of(layout));
        }

        /**
         * {@code audit-csv}: the study's audit events in {@code [from, to+1 day)}, oldest first, one Query page
         * after another on the study's partition (or the by-entity index for one entity). Resumable on the sort
         * key: the checkpoint's start key is the last event written, and the next segment reads after it.
         */
        private void logStarted(boolean resumed, long rows) {
            LOG.info(
                    "export.segment.started",
                    "exportId",
                    job.exportId(),
                    "segment",
                    job.segment(),
                    "format",
                    exporter.name(),
                    "resumed",
                    resumed,
                    "rows",
                    rows);
        }

        private Outcome auditTrail(
                AuditCsvExporter format,
                JobCheckpoint checkpoint,
                long rows,
                long fileRows,
                Instant asOf,
                Set<String> subjects)
                throws IOException {
            ExportSpec spec = job.spec();
            String fromSk =
                    Times.sortable(spec.from().atStartOfDay(ZoneOffset.UTC).toInstant());
            String toSk = Times.sortable(
                    spec.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            Optional<String> entityPk = Optional.ofNullable(spec.entity()).map(e -> {
                String[] parts = e.split(":", 2);
                return AuditEntity.named(parts[0]).orElseThrow().entityPk(parts[1]);
            });
            Optional<String> after = checkpoint != null && checkpoint.position().startKey() != null
                    ? Optional.ofNullable(checkpoint.position().startKey().get("sk"))
                    : Optional.empty();
            AuditCsvExporter.EventWriter writer =
                    format.openEvents(sink, checkpoint != null ? checkpoint.writerState() : null);
            logStarted(checkpoint != null, rows);
            int sinceCheck = 0;
            String last = after.orElse(null);
            do {
                AuditReader.Page page =
                        auditTrail.page(spec.studyId(), fromSk, toSk, entityPk, AUDIT_PAGE_EVENTS, after);
                for (AuditReader.Event event : page.events()) {
                    writer.write(event);
                    last = event.sortKey();
                    rows++;
                    fileRows++;
                    rowsWritten.incrementAndGet();
                    subjectOf(event).ifPresent(subjects::add);
                    if (++sinceCheck == DEADLINE_CHECK_ROWS) {
                        sinceCheck = 0;
                        if (remainingMillis.getAsLong()
                                < config.deadlineMargin().toMillis()) {
                            return suspend(
                                    writer.suspend(),
                                    new QueryPosition(spec.from(), Map.of("sk", last)),
                                    rows,
                                    Set.of(),
                                    asOf,
                                    fileRows,
                                    subjects);
                        }
                    }
                }
                // continue after the last event read (a filtered page may end on one it did not return)
                after = page.nextSk();
            } while (after.isPresent());
            writer.finish();
            return complete(rows, fileRows, subjects, asOf, List.of(), List.of(), AuditCsvExporter.dictionary());
        }

        /**
         * {@code compliance-csv}: the study's compliance counters of {@code [from, to]} read and summed by core's
         * {@link ComplianceReader} (what GET compliance answers for the same range), then written in one piece;
         * a subject row names its subject through the profile, as a report row would.
         */
        private Outcome compliance(ComplianceCsvExporter format, Instant asOf) throws IOException {
            ExportSpec spec = job.spec();
            logStarted(false, 0);
            ComplianceReader.Compliance counted = complianceCounters.read(new ComplianceReader.Query(
                    spec.studyId(), spec.from(), spec.to(), Optional.ofNullable(spec.siteId()), spec.by()));
            RecordProfiler profiler = new RecordProfiler(spec.profile(), pseudonyms);
            ComplianceCsvExporter.RowWriter writer = format.openRows(sink, spec.profile());
            Set<String> subjects = new HashSet<>();
            long rows = 0;
            for (ComplianceReader.Row row : counted.rows()) {
                // a pseudonym first made here is anchored no later than the range's end (its first report, if any)
                String subject =
                        row.subjectId() == null ? null : profiler.subject(spec.studyId(), row.subjectId(), spec.to());
                writer.write(spec.studyId(), row, subject);
                if (subject != null) {
                    subjects.add(subject);
                }
                rows++;
                rowsWritten.incrementAndGet();
            }
            writer.finish();
            return complete(
                    rows, rows, subjects, asOf, List.of(), List.of(), ComplianceCsvExporter.dictionary(spec.profile()));
        }

        /** The subject an event names (its entity, or the subject id in its details), for the subject count. */
        private static Optional<String> subjectOf(AuditReader.Event event) {
            if ("subject".equals(event.entityType())) {
                return Optional.ofNullable(event.entityId());
            }
            return Optional.ofNullable(event.details().get("subjectId"));
        }

        /** Completes the file, writes its dictionary and manifest and marks the job SUCCEEDED. */
        private Outcome complete(
                long rows,
                long fileRows,
                Set<String> subjects,
                Instant asOf,
                List<String> versionList,
                List<ExportWriter.Entry> contents,
                DataDictionary dictionaryOf)
                throws IOException {
            ExportSpec spec = job.spec();
            MultipartSink.Result result = sink.complete();
            byte[] dictionary = dictionaryOf.csv();
            putObject(
                    ExportObjects.dictionaryKey(job.exportId()), "text/csv; charset=utf-8; header=present", dictionary);
            List<Provenance.FileFacts> files = new ArrayList<>();
            files.add(new Provenance.FileFacts(
                    ExportObjects.dataName(file.fileExtension()), result.bytes(), result.sha256Hex(), fileRows));
            for (ExportWriter.Entry e : contents) {
                files.add(new Provenance.FileFacts(
                        ExportObjects.dataName(file.fileExtension()) + "!/" + e.name(),
                        e.bytes(),
                        e.sha256(),
                        e.rows()));
            }
            files.add(new Provenance.FileFacts(
                    DataDictionary.CSV_NAME,
                    dictionary.length,
                    sha256Hex(dictionary),
                    dictionaryOf.entries().size()));
            Provenance provenance = new Provenance(subjects.size(), asOf, WriterVersion.current(), files);
            Instant completedAt = clock.instant();
            ExportJob done = new ExportJob(
                    job.exportId(),
                    spec,
                    job.requestedBy(),
                    job.createdAt(),
                    ExportStatus.SUCCEEDED,
                    job.segment(),
                    owner,
                    null,
                    job.attempts(),
                    rows,
                    result.bytes(),
                    result.sha256Hex(),
                    versionList,
                    completedAt,
                    null,
                    null,
                    job.requestUrl(),
                    provenance);
            putObject(
                    ExportObjects.manifestKey(job.exportId()),
                    "application/json",
                    Json.mapper()
                            .writerWithDefaultPrettyPrinter()
                            .writeValueAsBytes(ExportManifest.stored(done, exporter)));
            if (!jobs.succeed(
                    job.exportId(),
                    owner,
                    rows,
                    result.bytes(),
                    result.sha256Hex(),
                    versionList,
                    completedAt,
                    provenance)) {
                LOG.warn("export.lease.lost", "exportId", job.exportId(), "segment", job.segment());
                return Outcome.SKIPPED;
            }
            deleteResumedTail();
            LOG.info(
                    "export.succeeded",
                    "exportId",
                    job.exportId(),
                    "rows",
                    rows,
                    "bytes",
                    result.bytes(),
                    "parts",
                    result.parts(),
                    "segments",
                    job.segment());
            return Outcome.SUCCEEDED;
        }

        /** A small object of the export, encrypted as every object it writes (the stack's data key when it has one). */
        private void putObject(String key, String contentType, byte[] bytes) {
            s3.putObject(
                    b -> config.encryption()
                            .applyTo(b.bucket(config.bucket()).key(key).contentType(contentType)),
                    RequestBody.fromBytes(bytes));
        }

        /** The subjects a suspended segment had seen, saved beside its checkpoint (one per line). */
        private Set<String> readSubjects(String key) {
            Set<String> out = new HashSet<>();
            if (key == null) {
                return out;
            }
            String text =
                    s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asUtf8String();
            for (String line : text.split("\n")) {
                if (!line.isEmpty()) {
                    out.add(line);
                }
            }
            return out;
        }

        private List<Report> versions(Report latest) {
            return new ReportStore(dynamo, config.reportsTable()).versionsBefore(latest.reportId(), latest.version());
        }

        /** The definitions of the questionnaire versions the export met (all requested ones when it met none). */
        private List<QuestionnaireDefinition> used(Set<String> canonicals) {
            List<QuestionnaireDefinition> out = new ArrayList<>();
            for (QuestionnaireDefinition d : definitions()) {
                if (canonicals.contains(d.canonical())) {
                    out.add(d);
                }
            }
            return out.isEmpty() ? definitions() : out;
        }

        private MultipartSink resume(JobCheckpoint checkpoint) {
            try {
                return MultipartSink.resume(s3, io, pool, target, config.maxParts(), checkpoint.file());
            } catch (IOException | RuntimeException e) {
                LOG.error("export.resume.failed", e, "exportId", job.exportId(), "segment", job.segment());
                abortUpload(job);
                return null;
            }
        }

        private Outcome suspend(
                ExportWriter writer,
                QueryPosition position,
                long rows,
                Set<String> versions,
                Instant asOf,
                long fileRows,
                Set<String> subjects)
                throws IOException {
            if (!file.resumable()) {
                return fail(job, owner, sink, "DEADLINE_FORMAT_NOT_RESUMABLE");
            }
            return suspend(writer.suspend(), position, rows, versions, asOf, fileRows, subjects);
        }

        /** Saves the checkpoint (the writer already flushed at a row boundary) and enqueues the continuation. */
        private Outcome suspend(
                String writerState,
                QueryPosition position,
                long rows,
                Set<String> versions,
                Instant asOf,
                long fileRows,
                Set<String> subjects)
                throws IOException {
            MultipartSink.Checkpoint file = sink.suspend(ExportObjects.tailKey(job.exportId(), job.segment()));
            String subjectsKey = ExportObjects.subjectsKey(job.exportId(), job.segment());
            putObject(
                    subjectsKey,
                    "text/plain; charset=utf-8",
                    String.join("\n", new TreeSet<>(subjects)).getBytes(StandardCharsets.UTF_8));
            if (!jobs.checkpoint(
                    job.exportId(),
                    owner,
                    new JobCheckpoint(file, position, writerState, asOf, fileRows, subjectsKey),
                    rows,
                    new ArrayList<>(versions))) {
                LOG.warn("export.lease.lost", "exportId", job.exportId(), "segment", job.segment());
                return Outcome.SKIPPED;
            }
            deleteResumedTail();
            sqs.sendMessage(b -> b.queueUrl(config.queueUrl())
                    .messageBody(ExportMessage.CODEC.encode(new ExportMessage(job.exportId()))));
            LOG.info(
                    "export.suspended",
                    "exportId",
                    job.exportId(),
                    "segment",
                    job.segment(),
                    "rows",
                    rows,
                    "bytes",
                    file.totalBytes(),
                    "parts",
                    file.etags().size());
            return Outcome.SUSPENDED;
        }

        /**
         * Every definition a report of the study may have been answered with, as {@link StudyCatalog#forReport}
         * resolves one: any built-in (a study may have stopped using one since), then the study's own, retired
         * versions included; only the requested ids when the request names some.
         */
        private List<QuestionnaireDefinition> definitions() {
            List<String> ids = job.spec().questionnaires();
            List<QuestionnaireDefinition> all =
                    new ArrayList<>(questionnaires.builtIns().all());
            all.addAll(questionnaires.view(job.spec().studyId()).own().values());
            List<QuestionnaireDefinition> out = new ArrayList<>();
            for (QuestionnaireDefinition d : all) {
                if (ids.isEmpty() || ids.contains(d.id())) {
                    out.add(d);
                }
            }
            return out;
        }

        /** The tail this segment resumed from is obsolete once a newer checkpoint or the file exists. */
        private void deleteResumedTail() {
            if (resumedTail == null) {
                return;
            }
            try {
                if (resumedSubjects != null) {
                    s3.deleteObject(b -> b.bucket(config.bucket()).key(resumedSubjects));
                }
                s3.deleteObject(b -> b.bucket(config.bucket()).key(resumedTail));
            } catch (RuntimeException e) {
                // the bucket's lifecycle removes it within a day
                LOG.warn("export.tail.delete.failed", "exportId", job.exportId(), "segment", job.segment());
            }
        }
    }
}
