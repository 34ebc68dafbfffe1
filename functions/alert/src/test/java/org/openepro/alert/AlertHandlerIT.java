package org.openepro.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.report.Answer;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.MutableClock;
import org.openepro.emulator.QueueDriver;
import org.openepro.emulator.SampleReports;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The alert handler as the template wires it, fed with messages received from the stack's alert
 * queue; what nurses get is read back from SQS queues subscribed to the topic with filter policies.
 */
@ExtendWith(AwsEmulatorExtension.class)
class AlertHandlerIT {
    private static final List<String> PHQ9_ITEMS_1_TO_8 =
            List.of("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3");
    private static final String PHQ9_ITEM_9 = "44260-8";
    private static final String PAIN = "72514-3";

    private EmulatedStack stack;
    private AlertStackFixture alertStack;
    private AlertHandler handler;
    private QueueDriver queue;
    private String study;
    private String site;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.alertStack = new AlertStackFixture(stack);
        this.handler = new AlertHandler(
                AlertWiring.builder(AlertConfig.fromEnv(stack.env("AlertFunction")), stack.clientsFor("AlertFunction"))
                        .build());
        this.queue = new QueueDriver(stack, "AlertQueue");
        this.study = "ST-" + UUID.randomUUID();
        this.site = "SITE-" + UUID.randomUUID();
    }

    @Test
    void publishesEachTriggeredRuleOnceToTheNursesWhoseFilterMatchesSiteAndSeverity() throws Exception {
        // GIVEN nurses subscribed by site and severity
        String urgentHere = alertStack.subscribe(site, "URGENT");
        String highHere = alertStack.subscribe(site, "HIGH");
        String mediumHere = alertStack.subscribe(site, "MEDIUM");
        String urgentElsewhere = alertStack.subscribe("SITE-" + UUID.randomUUID(), "URGENT", "HIGH");
        // AND a PHQ-9 with item 9 answered "More than half the days" and a total of 21
        Report report = store(phq9(19, 2).build());
        queue.send(message(report));

        // WHEN its message is handled
        SQSBatchResponse response = handler.handleRequest(queue.event(queue.receive(1)), AlertStackFixture.context());

        // THEN the URGENT alert reaches the URGENT subscriber of the site, the HIGH one the HIGH subscriber
        assertThat(response.getBatchItemFailures()).isEmpty();
        Message urgent = single(urgentHere);
        Message high = single(highHere);
        assertThat(urgent.messageAttributes().get("severity").stringValue()).isEqualTo("URGENT");
        assertThat(urgent.messageAttributes().get("siteId").stringValue()).isEqualTo(site);
        assertThat(urgent.messageAttributes().get("studyId").stringValue()).isEqualTo(study);
        assertThat(high.messageAttributes().get("severity").stringValue()).isEqualTo("HIGH");
        JsonNode body = Json.mapper().readTree(urgent.body());
        String alertId = AlertRecord.alertId(report.reportId(), "phq9-item9-self-harm");
        assertThat(body.get("alertId").asText()).isEqualTo(alertId);
        assertThat(body.get("reportId").asText()).isEqualTo(report.reportId());
        assertThat(body.get("subjectId").asText()).isEqualTo(report.subjectId());
        assertThat(body.get("ruleId").asText()).isEqualTo("phq9-item9-self-harm");
        assertThat(body.get("questionnaire").asText()).isEqualTo(report.questionnaireCanonical());
        assertThat(body.get("link").asText()).isEqualTo("/v1/alerts/" + alertId);
        // AND no subscriber of another site or severity gets anything
        assertThat(receive(mediumHere)).isEmpty();
        assertThat(receive(urgentElsewhere)).isEmpty();
        // AND nothing the patient answered travels to nurses
        for (Message m : List.of(urgent, high)) {
            for (Answer a : report.answers()) {
                assertThat(m.body()).doesNotContain(a.display()).doesNotContain(a.code());
            }
        }
        // AND the alert is recorded open and published
        Map<String, AttributeValue> item = alertStack.alertItem(alertId);
        assertThat(item.get("status").s()).isEqualTo("OPEN");
        assertThat(item.get("publishState").s()).isEqualTo("PUBLISHED");
        assertThat(item.get("severity").s()).isEqualTo("URGENT");
        assertThat(item)
                .containsKeys("raisedAt", "publishedAt", "studyPk", "studySk")
                .doesNotContainKey("leaseUntil");
        // AND each message carries the stored alert's id as an attribute, the key subscribers drop duplicates by
        assertThat(urgent.messageAttributes().get("alertId").stringValue())
                .isEqualTo(item.get("alertId").s())
                .isEqualTo(alertId);
        assertThat(high.messageAttributes().get("alertId").stringValue())
                .isEqualTo(AlertRecord.alertId(
                        report.reportId(),
                        Json.mapper().readTree(high.body()).get("ruleId").asText()))
                .isNotEqualTo(alertId);
    }

    @Test
    void aRedeliveredMessageNeverPublishesTwice() {
        String nurse = alertStack.subscribe(site, "URGENT");
        Report report = store(phq9(0, 1).build());
        queue.send(message(report));
        List<Message> first = queue.receive(1);
        assertThat(handler.handleRequest(queue.event(first), AlertStackFixture.context())
                        .getBatchItemFailures())
                .isEmpty();

        // WHEN the same message is delivered again
        queue.makeVisibleAgain(first);
        List<Message> again = queue.receive(1);
        assertThat(again)
                .extracting(Message::messageId)
                .containsExactly(first.get(0).messageId());
        SQSBatchResponse response = handler.handleRequest(queue.event(again), AlertStackFixture.context());

        // THEN it succeeds and the nurse got exactly one message
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(receiveAll(nurse)).hasSize(1);
    }

    @Test
    void twoMessagesForOneReportInOneBatchPublishOnce() {
        String nurse = alertStack.subscribe(site, "URGENT");
        Report report = store(phq9(0, 3).build());
        queue.send(message(report));
        queue.send(message(report));
        List<Message> both = queue.receive(2);
        assertThat(both).hasSize(2);

        SQSBatchResponse response = handler.handleRequest(queue.event(both), AlertStackFixture.context());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(receiveAll(nurse)).hasSize(1);
    }

    @Test
    void aPartialFailureReturnsOnlyTheFailedMessages() {
        String nurse = alertStack.subscribe(site, "HIGH");
        Report severePain = store(SampleReports.of("pain-nrs")
                .study(study)
                .site(site)
                .answer(PAIN, 9)
                .build());
        queue.send(message(severePain));
        String missing = queue.send(
                ReportMessage.CODEC.encode(new ReportMessage(UUID.randomUUID().toString(), 1, study)));
        String broken = queue.send("not json");
        List<Message> received = queue.receive(3);
        assertThat(received).hasSize(3);

        SQSBatchResponse response = handler.handleRequest(queue.event(received), AlertStackFixture.context());

        assertThat(response.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactlyInAnyOrder(missing, broken);
        assertThat(receiveAll(nurse)).hasSize(1);
    }

    @Test
    void aWorseningAgainstTheSubjectsPreviousReportIsMedium() throws Exception {
        // GIVEN the subject's earlier pain report at 3, then one at 5 (not severe, but 2 worse)
        String nurse = alertStack.subscribe(site, "MEDIUM");
        Report before = store(SampleReports.of("pain-nrs")
                .study(study)
                .site(site)
                .answer(PAIN, 3)
                .receivedAt(Instant.parse("2026-11-26T09:00:00Z"))
                .build());
        Report now = store(SampleReports.of("pain-nrs")
                .study(study)
                .site(site)
                .subject(before.subjectId())
                .answer(PAIN, 5)
                .build());
        queue.send(message(now));

        SQSBatchResponse response = handler.handleRequest(queue.event(queue.receive(1)), AlertStackFixture.context());

        assertThat(response.getBatchItemFailures()).isEmpty();
        Message m = single(nurse);
        assertThat(Json.mapper().readTree(m.body()).get("ruleId").asText()).isEqualTo("pain-nrs-worsening");
        assertThat(m.messageAttributes().get("severity").stringValue()).isEqualTo("MEDIUM");
    }

    @Test
    void aCrashBetweenClaimAndPublishIsRetriedOnceTheLeaseRunsOut() {
        // GIVEN a publisher whose first publication fails after the alert was claimed
        String nurse = alertStack.subscribe(site, "URGENT");
        AlertConfig config = AlertConfig.fromEnv(stack.env("AlertFunction"));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:31:00Z"));
        FailingOnceSns sns =
                new FailingOnceSns(stack.clientsFor("AlertFunction").sns());
        AlertStore alerts = new AlertStore(stack.clients().dynamo(), config.alertsTable());
        AlertHandler crashing = publishingThrough(sns, config, clock);
        Report report = store(phq9(0, 1).build());
        String alertId = AlertRecord.alertId(report.reportId(), "phq9-item9-self-harm");
        queue.send(message(report));
        List<Message> first = queue.receive(1);
        assertThat(crashing.handleRequest(queue.event(first), AlertStackFixture.context())
                        .getBatchItemFailures())
                .hasSize(1);
        assertThat(alerts.get(alertId).orElseThrow().publishState()).isEqualTo(PublishState.PUBLISHING);

        // WHEN it comes back while the lease still runs, nothing is published and it fails again
        clock.advance(Duration.ofSeconds(10));
        queue.makeVisibleAgain(first);
        List<Message> early = queue.receive(1);
        assertThat(crashing.handleRequest(queue.event(early), AlertStackFixture.context())
                        .getBatchItemFailures())
                .hasSize(1);
        assertThat(receive(nurse)).isEmpty();

        // WHEN it comes back after the lease ran out
        clock.advance(config.publishLease());
        queue.makeVisibleAgain(early);
        List<Message> late = queue.receive(1);
        SQSBatchResponse response = crashing.handleRequest(queue.event(late), AlertStackFixture.context());

        // THEN the alert is published exactly once, keeping the time it was first raised
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(receiveAll(nurse)).hasSize(1);
        AlertRecord published = alerts.get(alertId).orElseThrow();
        assertThat(published.publishState()).isEqualTo(PublishState.PUBLISHED);
        assertThat(published.raisedAt()).isEqualTo(Instant.parse("2026-11-27T09:31:00Z"));
        assertThat(sns.attempts).isEqualTo(2);
    }

    @Test
    void aCrashAfterTheTopicAcceptedTheMessageRepublishesWithTheSameAlertId() throws Exception {
        // GIVEN a function that dies after SNS accepted the alert, before marking it published
        String nurse = alertStack.subscribe(site, "URGENT");
        AlertConfig config = AlertConfig.fromEnv(stack.env("AlertFunction"));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:31:00Z"));
        AlertStore alerts = new AlertStore(stack.clients().dynamo(), config.alertsTable());
        AlertHandler crashing = publishingThrough(
                new CrashingAfterPublishSns(stack.clientsFor("AlertFunction").sns()), config, clock);
        Report report = store(phq9(0, 1).build());
        String alertId = AlertRecord.alertId(report.reportId(), "phq9-item9-self-harm");
        queue.send(message(report));
        List<Message> first = queue.receive(1);
        assertThat(crashing.handleRequest(queue.event(first), AlertStackFixture.context())
                        .getBatchItemFailures())
                .hasSize(1);
        assertThat(alerts.get(alertId).orElseThrow().publishState()).isEqualTo(PublishState.PUBLISHING);

        // WHEN the message comes back after the lease ran out
        clock.advance(config.publishLease().plusSeconds(1));
        queue.makeVisibleAgain(first);
        assertThat(crashing.handleRequest(queue.event(queue.receive(1)), AlertStackFixture.context())
                        .getBatchItemFailures())
                .isEmpty();

        // THEN the nurse got the alert twice (the documented window), both with the stored alert's id,
        // as attribute and in the body: one id, so a subscriber keeps one
        List<Message> got = receiveAll(nurse);
        assertThat(got).hasSize(2);
        for (Message m : got) {
            assertThat(m.messageAttributes().get("alertId").stringValue()).isEqualTo(alertId);
            assertThat(Json.mapper().readTree(m.body()).get("alertId").asText()).isEqualTo(alertId);
        }
        assertThat(alerts.get(alertId).orElseThrow().publishState()).isEqualTo(PublishState.PUBLISHED);
    }

    @Test
    void aPoisonMessageEndsInTheDeadLetterQueueAfterMaxReceiveCountReceives() {
        String body =
                ReportMessage.CODEC.encode(new ReportMessage(UUID.randomUUID().toString(), 1, study));
        String poison = queue.send(body);

        int receives = 0;
        for (int i = 0; i < queue.maxReceiveCount() + 2; i++) {
            List<Message> received = queue.receiveOnce(1);
            if (received.isEmpty()) {
                break;
            }
            receives++;
            assertThat(handler.handleRequest(queue.event(received), AlertStackFixture.context())
                            .getBatchItemFailures())
                    .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                    .containsExactly(poison);
            queue.makeVisibleAgain(received);
        }

        assertThat(receives).isEqualTo(5);
        String dlq = queue.deadLetterQueueUrl();
        assertThat(stack.clients()
                        .sqs()
                        .receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(1))
                        .messages())
                .extracting(Message::body)
                .containsExactly(body);
    }

    @Test
    void nearTheDeadlineNothingStartsAndNothingIsPublished() {
        String nurse = alertStack.subscribe(site, "URGENT");
        Report report = store(phq9(0, 2).build());
        queue.send(message(report));
        List<Message> received = queue.receive(1);

        SQSBatchResponse response = handler.handleRequest(
                queue.event(received), EmulatedLambdaContext.withRemaining("AlertFunction", 3_000));

        assertThat(response.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(received.get(0).messageId());
        assertThat(receive(nurse)).isEmpty();
    }

    @Test
    void whenTheDeadlineStrikesMidBatchTheStartedPublishAndTheRestComeBackToPublishOnce() throws Exception {
        // GIVEN four reports, each raising one URGENT alert, received in one batch
        String nurse = alertStack.subscribe(site, "URGENT");
        List<String> alertIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Report report = store(phq9(0, 1).build());
            alertIds.add(AlertRecord.alertId(report.reportId(), "phq9-item9-self-harm"));
            queue.send(message(report));
        }
        List<Message> received = queue.receive(4);
        assertThat(received).hasSize(4);

        // WHEN the function has time for two records, then 1 s left (below the 5 s margin)
        SQSBatchResponse response = handler.handleRequest(
                queue.event(received), EmulatedLambdaContext.running("AlertFunction", 2, 30_000, 1_000));

        // THEN the last two come back unstarted, and only the first two reports' alerts went out
        assertThat(response.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(received.get(2).messageId(), received.get(3).messageId());
        List<String> started = List.of(alertIdOf(received.get(0)), alertIdOf(received.get(1)));
        List<Message> firstRound = receiveAll(nurse);
        assertThat(firstRound)
                .extracting(m -> m.messageAttributes().get("alertId").stringValue())
                .containsExactlyInAnyOrderElementsOf(started);
        for (Message unstarted : received.subList(2, 4)) {
            assertThat(alertStack.alertItem(alertIdOf(unstarted)))
                    .as("no alert claimed for an unstarted record")
                    .isEmpty();
        }

        // WHEN Lambda deletes the successes and the failures are delivered again
        queue.delete(received.subList(0, 2));
        queue.makeVisibleAgain(received.subList(2, 4));
        List<Message> again = queue.receive(2);
        assertThat(again)
                .extracting(Message::messageId)
                .containsExactlyInAnyOrder(
                        received.get(2).messageId(), received.get(3).messageId());
        assertThat(handler.handleRequest(queue.event(again), AlertStackFixture.context())
                        .getBatchItemFailures())
                .isEmpty();

        // THEN every alert of the batch was published exactly once
        List<Message> all = new ArrayList<>(firstRound);
        all.addAll(receiveAll(nurse));
        assertThat(all)
                .extracting(m -> m.messageAttributes().get("alertId").stringValue())
                .containsExactlyInAnyOrderElementsOf(alertIds);
        for (String id : alertIds) {
            assertThat(alertStack.alertItem(id).get("publishState").s()).isEqualTo("PUBLISHED");
        }
    }

    /** The id of the alert a received alert-queue message raises (one URGENT rule per report here). */
    private static String alertIdOf(Message m) {
        return AlertRecord.alertId(ReportMessage.CODEC.decode(m.body()).reportId(), "phq9-item9-self-harm");
    }

    /** A PHQ-9 of this test's study and site: items 1-8 summing to {@code itemsOneToEight}, item 9 as given. */
    private SampleReports.Builder phq9(int itemsOneToEight, int item9) {
        SampleReports.Builder b =
                SampleReports.of("phq-9").study(study).site(site).answer(PHQ9_ITEM_9, item9);
        int left = itemsOneToEight;
        for (String item : PHQ9_ITEMS_1_TO_8) {
            b.answer(item, Math.min(3, left));
            left -= Math.min(3, left);
        }
        return b;
    }

    @Test
    void theRuleOfAStudyPublishedQuestionnaireRaisesItsAlert() throws Exception {
        // GIVEN the study published its sleep diary (rule: awake five times or more, LOW)
        String low = alertStack.subscribe(site, "LOW");
        byte[] json = org.openepro.emulator.SampleEvents.httpApi("publish-questionnaire.json")
                .getBody()
                .replace("/studies/STUDY-001/", "/studies/" + study + "/")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        var diary = org.openepro.core.questionnaire.QuestionnaireRegistry.parse(json);
        new org.openepro.core.questionnaire.study.StudyQuestionnaireStore(
                        stack.clients().dynamo(),
                        stack.ref("QuestionnairesTable"),
                        new org.openepro.core.audit.AuditLog(stack.clients().dynamo(), stack.ref("AuditTable")))
                .create(
                        new org.openepro.core.questionnaire.study.StudyQuestionnaireStore.Stored(
                                study, diary.canonical(), json, "hash", "active", Instant.now(), "designer"),
                        org.openepro.core.audit.AuditEvent.of(
                                        org.openepro.core.audit.AuditAction.QUESTIONNAIRE_PUBLISHED,
                                        new org.openepro.core.audit.Actor(
                                                "designer",
                                                java.util.EnumSet.of(org.openepro.core.audit.ActorRole.STUDY_DESIGNER)),
                                        Instant.now())
                                .study(study)
                                .entity(diary.canonical())
                                .build());
        // AND a patient of the study answered it: a bad night, awake six times
        Report report = store(SampleReports.of(diary)
                .study(study)
                .site(site)
                .answer("slept-well", 0)
                .answer("awake-times", 6)
                .build());
        queue.send(message(report));

        // WHEN its message is handled by a container that knows only the built-ins' rules from its jar
        SQSBatchResponse response = handler.handleRequest(queue.event(queue.receive(1)), AlertStackFixture.context());

        // THEN the study's rule is read from the table and its alert reaches the LOW subscriber of the site
        assertThat(response.getBatchItemFailures()).isEmpty();
        JsonNode body = Json.mapper().readTree(single(low).body());
        assertThat(body.get("ruleId").asText()).isEqualTo("sleep-diary-awake-often");
        assertThat(body.get("questionnaire").asText()).isEqualTo(diary.canonical());
    }

    @Test
    void aBranchSkippedProCtcaeAttributeRaisesNothing() throws Exception {
        // GIVEN a PRO-CTCAE with pain "Never": severity and interference skipped, recorded as 0
        String high = alertStack.subscribe(site, "HIGH");
        Report report =
                store(SampleReports.of("pro-ctcae").study(study).site(site).build());
        assertThat(report.branchSkipped()).extracting(Answer::linkId).contains("pain-severity", "pain-interference");
        queue.send(message(report));

        SQSBatchResponse response = handler.handleRequest(queue.event(queue.receive(1)), AlertStackFixture.context());

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(receive(high)).isEmpty();
    }

    private Report store(Report report) {
        stack.clients()
                .dynamo()
                .putItem(b -> b.tableName(stack.ref("ReportsTable")).item(ReportItems.toItem(report)));
        return report;
    }

    private static String message(Report r) {
        return ReportMessage.CODEC.encode(new ReportMessage(r.reportId(), r.version(), r.studyId()));
    }

    private List<Message> receive(String queueUrl) {
        return stack.clients()
                .sqs()
                .receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .messageAttributeNames("All"))
                .messages();
    }

    /** Everything waiting on the queue (two receives, so a late second message would show). */
    private List<Message> receiveAll(String queueUrl) {
        List<Message> all = new ArrayList<>(receive(queueUrl));
        all.addAll(receive(queueUrl));
        return all;
    }

    private Message single(String queueUrl) {
        List<Message> messages = receiveAll(queueUrl);
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    /** The real topic, but the function dies right after the first publication was accepted. */
    static final class CrashingAfterPublishSns implements SnsClient {
        private final SnsClient delegate;
        private int publications;

        CrashingAfterPublishSns(SnsClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized PublishResponse publish(PublishRequest request) {
            PublishResponse response = delegate.publish(request);
            if (publications++ == 0) {
                throw SdkClientException.create("simulated crash after the topic accepted the message");
            }
            return response;
        }

        @Override
        public String serviceName() {
            return "sns";
        }

        @Override
        public void close() {}
    }

    /** The real topic, except that the first publication fails as a crash would. */
    static final class FailingOnceSns implements SnsClient {
        private final SnsClient delegate;
        int attempts;

        FailingOnceSns(SnsClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized PublishResponse publish(PublishRequest request) {
            if (attempts++ == 0) {
                throw SdkClientException.create("simulated crash before the topic accepted the message");
            }
            return delegate.publish(request);
        }

        @Override
        public String serviceName() {
            return "sns";
        }

        @Override
        public void close() {}
    }

    /** The alert handler wired to the emulator, publishing through {@code sns} (a client that fails as a test needs). */
    private AlertHandler publishingThrough(SnsClient sns, AlertConfig config, java.time.Clock clock) {
        return new AlertHandler(AlertWiring.builder(config, stack.clientsFor("AlertFunction"))
                .sns(sns)
                .clock(clock)
                .inProgressWait(Duration.ofMillis(200))
                .build());
    }
}
