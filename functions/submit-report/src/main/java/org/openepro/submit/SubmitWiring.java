package org.openepro.submit;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.config.Clocks;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.questionnaire.QuestionnaireDefinition;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.SampleResponses;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.core.report.SyntheticReports;
import org.openepro.core.schedule.OccurrenceStore;
import org.openepro.core.schedule.SubmissionPlacement;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The composition root of submit-report's two functions, built once per container from
 * {@link SubmitConfig} and {@link AwsClients}: the API ({@link SubmitReportHandler}) and the outbox
 * sweeper ({@link OutboxSweeperHandler}) share one store, audit log, dispatcher and delivery, so
 * what the sweeper delivers is delivered exactly as a request would. Tests replace the SQS sender,
 * the DynamoDB client or the clock through {@link #builder}.
 */
public final class SubmitWiring {
    private final SubmitConfig config;
    private final AwsClients aws;
    private final Clock clock;
    private final DynamoDbClient dynamo;
    private final SubmissionStore store;
    private final QueueDispatcher dispatcher;
    private final ReportDelivery delivery;
    // the API's part: the sweeper's container never loads the questionnaires
    private QuestionnaireRegistry registry;
    private StudyCatalog studyQuestionnaires;
    private SubmissionService submissions;
    private QuestionnaireCatalog catalog;

    private SubmitWiring(Builder b) {
        this.config = b.config;
        this.aws = b.aws;
        this.clock = b.clock;
        this.dynamo = b.dynamo != null ? b.dynamo : aws.dynamo();
        this.store = new SubmissionStore(
                dynamo,
                config.reportsTable(),
                new AuditLog(dynamo, config.auditTable()),
                SubmissionService.IDEMPOTENCY_TTL);
        MessageSender sender = b.sender != null ? b.sender : new SqsMessageSender(aws.sqs());
        this.dispatcher = new QueueDispatcher(sender, config.indexQueueUrl(), config.alertQueueUrl());
        this.delivery = new ReportDelivery(store, dispatcher);
    }

    /**
     * Lambda's wiring: the function's environment, the container's clients, the clock of
     * {@link Clocks#fromEnv} (the system's on AWS; `make run`'s demo clock locally, so a submission's
     * receivedAt and window verdict follow the schedule's time).
     */
    public static SubmitWiring fromEnv(Map<String, String> env) {
        return builder(SubmitConfig.fromEnv(env), AwsClients.fromEnv(env))
                .clock(Clocks.fromEnv(env))
                .build();
    }

    public static Builder builder(SubmitConfig config, AwsClients aws) {
        return new Builder(config, aws);
    }

    public SubmitConfig config() {
        return config;
    }

    public SubmissionStore store() {
        return store;
    }

    public OutboxSweeper sweeper() {
        return new OutboxSweeper(store, delivery, config.outboxGrace(), clock);
    }

    public synchronized SubmissionService submissions() {
        if (submissions == null) {
            String scheduleTable = Objects.requireNonNull(
                    config.scheduleTable(), "SCHEDULE_TABLE: the API needs the schedule's table");
            submissions = new SubmissionService(
                    new RequestParser(),
                    new ResponseValidator(studyQuestionnaires()),
                    store,
                    delivery,
                    new SubmissionPlacement(new OccurrenceStore(dynamo, scheduleTable)),
                    clock);
        }
        return submissions;
    }

    public synchronized QuestionnaireCatalog catalog() {
        if (catalog == null) {
            catalog = new QuestionnaireCatalog(studyQuestionnaires());
        }
        return catalog;
    }

    /** Each study's questionnaires (the built-ins it uses and those it published), cached per container. */
    public synchronized StudyCatalog studyQuestionnaires() {
        if (studyQuestionnaires == null) {
            studyQuestionnaires = new StudyCatalog(
                    registry(),
                    new StudyQuestionnaireStore(
                            dynamo, config.requireQuestionnairesTable(), new AuditLog(dynamo, config.auditTable())),
                    clock);
        }
        return studyQuestionnaires;
    }

    private synchronized QuestionnaireRegistry registry() {
        if (registry == null) {
            registry = QuestionnaireRegistry.load();
        }
        return registry;
    }

    /**
     * SnapStart priming of the API: the CPU path (parse, validate, score, serialise) for every
     * questionnaire, and AWS calls that marshal, sign and parse like the real ones but change no data.
     */
    public void primeApi() {
        String authored = DateTimeFormatter.ISO_OFFSET_DATE_TIME
                .format(clock.instant().atOffset(ZoneOffset.UTC))
                .replaceAll("\\.\\d+", "");
        for (QuestionnaireDefinition d : registry().all()) {
            if (d.retired()) {
                continue; // takes no new response: its refusal is not the hot path
            }
            submissions()
                    .prime(
                            SyntheticReports.PRIMING,
                            SampleResponses.of(d, authored).bytes());
        }
        catalog()
                .bundle(
                        new org.openepro.core.http.Caller("PRIMING", java.util.Set.of(), Map.of()),
                        java.util.List.of());
        ApiResponses.json(201, "{}", Map.of("location", "/v1/reports/PRIMING"));
        dispatcher.warmUp();
        store.idempotencyRecord(SubmissionStore.idempotencyKey("PRIMING", "PRIMING", "PRIMING"));
        store.primeTransaction();
        // the template grants sqs:GetQueueAttributes on the index queue for this one call
        aws.sqs()
                .getQueueAttributes(b ->
                        b.queueUrl(config.indexQueueUrl()).attributeNamesWithStrings("ApproximateNumberOfMessages"));
    }

    /** The wiring with some parts replaced (tests, benchmarks). */
    public static final class Builder {
        private final SubmitConfig config;
        private final AwsClients aws;
        private MessageSender sender;
        private DynamoDbClient dynamo;
        private Clock clock = Clock.systemUTC();

        private Builder(SubmitConfig config, AwsClients aws) {
            this.config = Objects.requireNonNull(config, "config");
            this.aws = Objects.requireNonNull(aws, "aws");
        }

        /** Replaces the SQS sender (e.g. one that fails the first sends). */
        public Builder sender(MessageSender sender) {
            this.sender = sender;
            return this;
        }

        /** Replaces the DynamoDB client (e.g. one that refuses one kind of write). */
        public Builder dynamo(DynamoDbClient dynamo) {
            this.dynamo = dynamo;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public SubmitWiring build() {
            return new SubmitWiring(this);
        }
    }
}
