package org.openepro.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.ActorRole;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.EnrollmentStatus;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.ScheduledSubject;
import org.openepro.emulator.EmulatedStack;
import org.openepro.schedule.protocol.ProtocolParser;
import org.openepro.schedule.protocol.ProtocolValidator;
import org.openepro.schedule.protocol.QuestionnaireLookup;
import org.openepro.schedule.scheduler.SubjectRefresher;
import org.openepro.schedule.store.ScheduleStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Protocols, enrollments and observers for the schedule's integration tests, on the emulated stack. */
public final class ScheduleFixture {
    public static final String PAIN = "https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0";

    /** Daily pain NRS at 20:00, window 4 h, reminders at +0 and +2 h, 3 misses in a row raise MEDIUM. */
    public static String dailyPain(LocalDate effectiveFrom, String zone) {
        return """
                {"effectiveFrom": "%s",
                 "sites": [{"siteId": "SITE-01", "timeZone": "%s"}],
                 "entries": [{"id": "pain-daily", "questionnaire": "%s",
                   "recurrence": {"type": "daily", "at": "20:00"},
                   "window": {"opens": "PT0S", "closes": "PT4H"}, "reminders": ["PT0S", "PT2H"],
                   "missedAlert": {"consecutive": 3, "severity": "MEDIUM"}}]}
                """.formatted(effectiveFrom, zone, PAIN);
    }

    private final EmulatedStack stack;
    private final ScheduleStore store;
    private final SubjectRefresher refresher;
    public final String study = "ST-" + UUID.randomUUID();

    public ScheduleFixture(EmulatedStack stack, ScheduleWiring wiring) {
        this.stack = stack;
        this.store = wiring.store();
        this.refresher = wiring.refresher();
    }

    public static ScheduleStore storeWithAudit(EmulatedStack stack) {
        return new ScheduleStore(
                stack.clients().dynamo(),
                stack.ref("ScheduleTable"),
                new org.openepro.core.audit.AuditLog(stack.clients().dynamo(), stack.ref("AuditTable")));
    }

    public void protocol(String document, Instant now) throws Exception {
        JsonNode doc = Json.mapper().readTree(document);
        ProtocolParser.Result r = new ProtocolValidator(QuestionnaireLookup.builtIn(QuestionnaireRegistry.load()))
                .validate(study, doc, store.history(study).latest());
        if (!r.valid()) {
            throw new IllegalArgumentException(r.errors().toString());
        }
        int version = store.history(study).latest().map(p -> p.version() + 1).orElse(1);
        AuditEvent event = AuditEvent.of(
                        AuditAction.PROTOCOL_VERSION_CREATED,
                        new Actor("designer", EnumSet.of(ActorRole.STUDY_DESIGNER)),
                        now)
                .study(study)
                .entity(study + "/v" + version)
                .build();
        storeWithAudit(stack).putVersion(r.protocol(), doc, version, event, now);
        refresher.forget(study);
    }

    public Enrollment enroll(String subject, LocalDate on, String zone, Instant now) {
        Enrollment e = new Enrollment(
                new ScheduledSubject(study, "SITE-01", subject), on, ZoneId.of(zone), EnrollmentStatus.ACTIVE, null);
        int version = store.history(study).latest().map(p -> p.version()).orElse(0);
        AuditEvent event = AuditEvent.of(
                        AuditAction.SUBJECT_ENROLLED,
                        new Actor("coordinator", EnumSet.of(ActorRole.SITE_COORDINATOR)),
                        now)
                .study(study)
                .entity(subject)
                .build();
        storeWithAudit(stack)
                .putEnrollment(
                        e,
                        version,
                        Optional.empty(),
                        "coordinator",
                        now,
                        now.plus(SubjectRefresher.TOP_UP_EVERY),
                        event);
        refresher.refresh(e, version, false, now);
        return e;
    }

    public org.openepro.core.schedule.OccurrenceStore storeOccurrences() {
        return store.occurrences();
    }

    public List<Occurrence> occurrences(String subject) {
        return store.occurrences().forSubject(study, subject, LocalDate.parse("2000-01-01"));
    }

    public Map<String, AttributeValue> counter(String pk, String sk) {
        return stack.clients()
                .dynamo()
                .getItem(b -> b.tableName(stack.ref("ScheduleTable"))
                        .consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))))
                .item();
    }

    /** A queue subscribed (raw delivery) to the reminders topic, receiving this study's reminders only. */
    public String subscribeToReminders() {
        return subscribe("ParticipantRemindersTopic");
    }

    /** A queue subscribed (raw delivery) to a topic of the stack, receiving this study's messages only. */
    public String subscribe(String topicLogicalId) {
        var sqs = stack.clients().sqs();
        String url =
                sqs.createQueue(b -> b.queueName("sub-" + UUID.randomUUID())).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        stack.clients()
                .sns()
                .subscribe(b -> b.topicArn(stack.ref(topicLogicalId))
                        .protocol("sqs")
                        .endpoint(arn)
                        .attributes(Map.of(
                                "RawMessageDelivery",
                                "true",
                                "FilterPolicyScope",
                                "MessageAttributes",
                                "FilterPolicy",
                                "{\"studyId\": [\"" + study + "\"]}")));
        return url;
    }

    /** Everything on a queue now (received and deleted). */
    public List<software.amazon.awssdk.services.sqs.model.Message> drain(String queueUrl) {
        var sqs = stack.clients().sqs();
        List<software.amazon.awssdk.services.sqs.model.Message> all = new java.util.ArrayList<>();
        while (true) {
            var got = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(0)
                            .messageAttributeNames("All"))
                    .messages();
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
            for (var m : got) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** The scheduler's cursor is one per stack: each test puts it where its story starts (or goes back). */
    public void cursorAt(Instant t) {
        stack.clients()
                .dynamo()
                .putItem(b -> b.tableName(stack.ref("ScheduleTable"))
                        .item(Map.of(
                                "pk",
                                AttributeValue.fromS("SCHED"),
                                "sk",
                                AttributeValue.fromS("CURSOR"),
                                "through",
                                AttributeValue.fromS(org.openepro.core.report.Times.sortable(
                                        org.openepro.core.schedule.ScheduleKeys.slotStart(t)
                                                .minus(org.openepro.core.schedule.ScheduleKeys.SLOT))))));
    }
}
