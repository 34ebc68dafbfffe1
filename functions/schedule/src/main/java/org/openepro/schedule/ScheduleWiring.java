package org.openepro.schedule;

import java.time.Clock;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.aws.AwsClients;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.study.StudyCatalog;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.core.schedule.ComplianceReader;
import org.openepro.schedule.api.ComplianceService;
import org.openepro.schedule.api.EnrollmentService;
import org.openepro.schedule.api.ProtocolService;
import org.openepro.schedule.api.ScheduleRoutes;
import org.openepro.schedule.api.TaskService;
import org.openepro.schedule.protocol.ProtocolValidator;
import org.openepro.schedule.protocol.QuestionnaireLookup;
import org.openepro.schedule.scheduler.MissedAlertSender;
import org.openepro.schedule.scheduler.ReminderSender;
import org.openepro.schedule.scheduler.SlotProcessor;
import org.openepro.schedule.scheduler.SnsReminderSender;
import org.openepro.schedule.scheduler.SqsMissedAlertSender;
import org.openepro.schedule.scheduler.SubjectRefresher;
import org.openepro.schedule.store.ScheduleStore;

/**
 * The schedule module's composition root: what its handlers run on, built once per container from
 * the config, the SDK clients and the clock. Tests replace the senders.
 */
public final class ScheduleWiring {
    private final ScheduleStore store;
    private final SubjectRefresher refresher;
    private final SlotProcessor slotProcessor;
    private final ScheduleRoutes routes;

    private ScheduleWiring(
            ScheduleConfig config, AwsClients aws, Clock clock, ReminderSender reminders, MissedAlertSender alerts) {
        this.store = new ScheduleStore(
                aws.dynamo(),
                config.scheduleTable(),
                config.auditTable() == null ? null : new AuditLog(aws.dynamo(), config.auditTable()));
        this.refresher = new SubjectRefresher(aws.dynamo(), store, clock);
        this.slotProcessor = reminders == null
                ? null
                : new SlotProcessor(
                        aws.dynamo(),
                        config.scheduleTable(),
                        refresher,
                        reminders,
                        alerts,
                        clock,
                        new SlotProcessor.Settings(
                                config.reminderLease(),
                                config.concurrency(),
                                SlotProcessor.Settings.DEFAULT.maxSlotsPerRun(),
                                SlotProcessor.Settings.DEFAULT.firstRunLookback()));
        this.routes = config.auditTable() == null
                ? null
                : new ScheduleRoutes(
                        new ProtocolService(
                                store,
                                new ProtocolValidator(QuestionnaireLookup.of(studyCatalog(config, aws))),
                                refresher,
                                clock),
                        new EnrollmentService(store, refresher, clock),
                        new TaskService(store.occurrences(), clock),
                        new ComplianceService(new ComplianceReader(aws.dynamo(), config.scheduleTable())));
    }

    /**
     * What a protocol may name, read-only (its IAM grants Query alone on the table); the cache runs on
     * real time, not on a demo clock, since its lifetime is about freshness, not about the schedule.
     */
    private static StudyCatalog studyCatalog(ScheduleConfig config, AwsClients aws) {
        return new StudyCatalog(
                QuestionnaireRegistry.load(),
                StudyQuestionnaireStore.readOnly(aws.dynamo(), config.questionnairesTable()),
                Clock.systemUTC());
    }

    public static ScheduleWiring scheduler(ScheduleConfig config, AwsClients aws, Clock clock) {
        return new ScheduleWiring(
                config,
                aws,
                clock,
                new SnsReminderSender(aws.sns(), config.remindersTopicArn()),
                new SqsMissedAlertSender(aws.sqs(), config.alertQueueUrl()));
    }

    /** For tests: the scheduler with its own senders. */
    public static ScheduleWiring scheduler(
            ScheduleConfig config, AwsClients aws, Clock clock, ReminderSender reminders, MissedAlertSender alerts) {
        return new ScheduleWiring(config, aws, clock, reminders, alerts);
    }

    public static ScheduleWiring api(ScheduleConfig config, AwsClients aws, Clock clock) {
        return new ScheduleWiring(config, aws, clock, null, null);
    }

    public ScheduleStore store() {
        return store;
    }

    public SubjectRefresher refresher() {
        return refresher;
    }

    public ScheduleRoutes routes() {
        return routes;
    }

    public SlotProcessor slotProcessor() {
        return slotProcessor;
    }
}
