package org.openepro.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceStatus;
import org.openepro.core.schedule.ScheduleKeys;
import org.openepro.core.schedule.WindowVerdict;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.MutableClock;
import org.openepro.emulator.QueueDriver;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The scheduler as the template wires it (its handler, its environment, the real SNS topic and
 * alert queue), run over a subject's days with a clock the test moves.
 */
@ExtendWith(AwsEmulatorExtension.class)
class SchedulerIT {
    private static final LocalDate DAY = LocalDate.parse("2026-03-20");
    private EmulatedStack stack;
    private MutableClock clock;
    private SchedulerHandler handler;
    private ScheduleFixture fixture;
    private String reminders;
    private QueueDriver alertQueue;

    @BeforeEach
    void wire(EmulatedStack stack) throws Exception {
        this.stack = stack;
        this.clock = new MutableClock(Instant.parse("2026-03-20T12:00:00Z"));
        ScheduleWiring wiring = ScheduleWiring.scheduler(
                ScheduleConfig.scheduler(stack.env("SchedulerFunction")), stack.clientsFor("SchedulerFunction"), clock);
        this.handler = new SchedulerHandler(wiring.slotProcessor());
        this.fixture = new ScheduleFixture(stack, wiring);
        fixture.cursorAt(clock.instant());
        this.reminders = fixture.subscribeToReminders();
        this.alertQueue = new QueueDriver(stack, "AlertQueue");
        fixture.protocol(ScheduleFixture.dailyPain(DAY, "Europe/Berlin"), clock.instant());
    }

    private Map<String, Object> runAt(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
        return handler.handleRequest(Map.of(), null);
    }

    @Test
    void sendsEachReminderOnceAtItsTimeAndARerunOfTheSlotSendsNothing() throws Exception {
        // GIVEN a subject in Berlin enrolled at noon: windows 20:00-24:00 local (19:00Z-23:00Z in March)
        fixture.enroll("SUBJ-1", DAY, "Europe/Berlin", clock.instant());

        // WHEN the scheduler runs just after the window opens, and again over the same slot
        runAt("2026-03-20T19:01:00Z");
        List<Message> first = fixture.drain(reminders);
        fixture.cursorAt(Instant.parse("2026-03-20T19:00:00Z"));
        runAt("2026-03-20T19:02:00Z");
        List<Message> rerun = fixture.drain(reminders);

        // THEN the first reminder went out once, PHI-free, with its filter attributes, and nothing twice
        assertThat(first).singleElement().satisfies(m -> {
            JsonNode body = Json.mapper().readTree(m.body());
            assertThat(body.get("type").asText()).isEqualTo("schedule.reminder");
            assertThat(body.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(body.get("taskId").asText()).isEqualTo("pain-daily.2026-03-20.v1");
            assertThat(body.get("subjectId").asText()).isEqualTo("SUBJ-1");
            assertThat(body.get("questionnaireId").asText()).isEqualTo("pain-nrs");
            assertThat(body.get("windowEnd").asText()).isEqualTo("2026-03-20T23:00:00.000Z");
            assertThat(body.get("reminder").asInt()).isEqualTo(1);
            assertThat(m.messageAttributes())
                    .containsKeys("studyId", "siteId", "questionnaireId", "kind", "reminderId");
            assertThat(m.messageAttributes().get("reminderId").stringValue()).isEqualTo("pain-daily.2026-03-20.v1#r1");
        });
        assertThat(rerun).isEmpty();

        // AND the second reminder goes out at +2 h, once
        runAt("2026-03-20T21:00:30Z");
        runAt("2026-03-20T21:04:00Z");
        assertThat(fixture.drain(reminders))
                .extracting(
                        m -> Json.mapper().readTree(m.body()).get("reminder").asInt())
                .containsExactly(2);
        assertThat(today().progress().remindersSent()).isEqualTo(2);
    }

    @Test
    void anUnansweredWindowBecomesMissedAndCountsOnceInCompliance() throws Exception {
        fixture.enroll("SUBJ-1", DAY, "Europe/Berlin", clock.instant());
        runAt("2026-03-20T19:01:00Z");
        runAt("2026-03-20T21:01:00Z");

        // WHEN the window closes unanswered, and the scheduler goes over that slot twice
        runAt("2026-03-20T23:01:00Z");
        Map<String, AttributeValue> subjectDay = subjectCounter();
        fixture.cursorAt(Instant.parse("2026-03-20T23:00:00Z"));
        runAt("2026-03-20T23:03:00Z");

        // THEN the occurrence is missed, counted once (expected 1, missed 1), and the rerun changed nothing
        assertThat(today().status()).isEqualTo(OccurrenceStatus.MISSED);
        assertThat(subjectDay.get("expected").n()).isEqualTo("1");
        assertThat(subjectDay.get("missed").n()).isEqualTo("1");
        assertThat(subjectCounter()).isEqualTo(subjectDay);
        assertThat(fixture.drain(reminders)).hasSize(2);
        // one missed window is not yet a pattern: no alert
        assertThat(alertQueue.receiveOnce(10)).isEmpty();
    }

    @Test
    void threeMissesInARowRaiseOneMissedPatternMessageAndAFourthNone() throws Exception {
        fixture.enroll("SUBJ-1", DAY, "Europe/Berlin", clock.instant());

        // WHEN four daily windows close unanswered (runs every few hours, each close run twice)
        for (int d = 0; d < 4; d++) {
            String day = DAY.plusDays(d).toString();
            // nothing is due between the windows: skip the idle slots (4 queries each) to keep the test short
            fixture.cursorAt(Instant.parse(day + "T19:00:00Z"));
            runAt(day + "T19:01:00Z");
            runAt(day + "T21:01:00Z");
            runAt(day + "T23:01:00Z");
            fixture.cursorAt(Instant.parse(day + "T23:00:00Z"));
            runAt(day + "T23:02:00Z");
        }

        // THEN exactly one message reached the alert queue: after the third miss, with ids only
        List<software.amazon.awssdk.services.sqs.model.Message> alerts = alertQueue.receiveOnce(10);
        assertThat(alerts).singleElement().satisfies(m -> {
            JsonNode body = Json.mapper().readTree(m.body());
            assertThat(body.get("type").asText()).isEqualTo("schedule.missed-pattern");
            assertThat(body.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(body.get("taskId").asText()).isEqualTo("pain-daily.2026-03-22.v1");
            assertThat(body.get("consecutive").asInt()).isEqualTo(3);
            assertThat(body.get("severity").asText()).isEqualTo("MEDIUM");
            assertThat(body.get("studyId").asText()).isEqualTo(fixture.study);
        });
        assertThat(fixture.occurrences("SUBJ-1"))
                .filteredOn(o -> o.status() == OccurrenceStatus.MISSED)
                .hasSize(4);
        assertThat(fixture.occurrences("SUBJ-1"))
                .allSatisfy(o -> assertThat(o.progress().alertOwed()).isFalse());
    }

    @Test
    void aCompletedOccurrenceGetsNoMoreRemindersAndIsNotMissed() throws Exception {
        fixture.enroll("SUBJ-1", DAY, "Europe/Berlin", clock.instant());
        runAt("2026-03-20T19:01:00Z");
        assertThat(fixture.drain(reminders)).hasSize(1);

        // WHEN the patient answers at 20:30 local (what submit-report writes in its transaction)
        Occurrence open = today();
        stack.clients()
                .dynamo()
                .transactWriteItems(b -> b.transactItems(
                        fixture.storeOccurrences().completion(open, "report-1", WindowVerdict.ON_TIME)));
        runAt("2026-03-20T21:01:00Z");
        runAt("2026-03-20T23:01:00Z");

        // THEN no second reminder, not missed, counted once as on time
        assertThat(fixture.drain(reminders)).isEmpty();
        assertThat(today().status()).isEqualTo(OccurrenceStatus.COMPLETED);
        assertThat(subjectCounter().get("onTime").n()).isEqualTo("1");
        assertThat(subjectCounter().get("missed").n()).isEqualTo("0");
        assertThat(subjectCounter().get("expected").n()).isEqualTo("1");
    }

    @Test
    void aLateAnswerAfterAMissMovesTheCountFromMissedToLateExactlyOnce() throws Exception {
        // (the scheduler was down all evening: it catches up in order, skips the reminders, closes the window)
        fixture.enroll("SUBJ-1", DAY, "Europe/Berlin", clock.instant());
        runAt("2026-03-20T23:01:00Z");
        assertThat(fixture.drain(reminders)).isEmpty();
        Occurrence missed = today();
        assertThat(missed.status()).isEqualTo(OccurrenceStatus.MISSED);

        // WHEN a late answer completes it, and the same completion is tried again (a retried request)
        var completion = fixture.storeOccurrences().completion(missed, "report-late", WindowVerdict.LATE);
        stack.clients().dynamo().transactWriteItems(b -> b.transactItems(completion));
        Throwable again = org.assertj.core.api.Assertions.catchThrowable(
                () -> stack.clients().dynamo().transactWriteItems(b -> b.transactItems(completion)));

        // THEN expected stays 1, missed goes to 0, late to 1, and the second try was refused by its condition
        assertThat(again)
                .isInstanceOf(software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.class);
        Map<String, AttributeValue> c = subjectCounter();
        assertThat(c.get("expected").n()).isEqualTo("1");
        assertThat(c.get("missed").n()).isEqualTo("0");
        assertThat(c.get("late").n()).isEqualTo("1");
        assertThat(today().status()).isEqualTo(OccurrenceStatus.COMPLETED);
    }

    @Test
    void aReminderTheTopicRefusedIsSentByTheNextRunAndTheCursorWaitsForIt() throws Exception {
        // GIVEN a scheduler whose topic is down for one run
        fixture.enroll("SUBJ-1", DAY, "Europe/Berlin", clock.instant());
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        var real = new org.openepro.schedule.scheduler.SnsReminderSender(
                stack.clientsFor("SchedulerFunction").sns(), stack.ref("ParticipantRemindersTopic"));
        ScheduleWiring flaky = ScheduleWiring.scheduler(
                ScheduleConfig.scheduler(stack.env("SchedulerFunction")),
                stack.clientsFor("SchedulerFunction"),
                clock,
                m -> {
                    if (down.get()) {
                        throw software.amazon.awssdk.services.sns.model.SnsException.builder()
                                .statusCode(503)
                                .message("unavailable")
                                .build();
                    }
                    return real.send(m);
                },
                m -> {});
        SchedulerHandler flakyHandler = new SchedulerHandler(flaky.slotProcessor());
        clock.advance(Duration.between(clock.instant(), Instant.parse("2026-03-20T19:01:00Z")));

        // WHEN the run fails to send, then the topic is back for the next run
        Map<String, Object> failed = flakyHandler.handleRequest(Map.of(), null);
        down.set(false);
        clock.advance(Duration.ofMinutes(5));
        Map<String, Object> next = flakyHandler.handleRequest(Map.of(), null);

        // THEN the first run reported the failure and sent nothing, the next sent the reminder once
        assertThat(failed.get("failures")).isEqualTo(1);
        assertThat(next.get("reminders")).isEqualTo(1);
        assertThat(fixture.drain(reminders)).hasSize(1);
        assertThat(today().progress().remindersSent()).isEqualTo(1);
    }

    @Test
    void twoRunsOverTheSameSlotAtOnceSendEachReminderOnce() throws Exception {
        // GIVEN five subjects whose windows open in the same slot
        for (int i = 1; i <= 5; i++) {
            fixture.enroll("SUBJ-" + i, DAY, "Europe/Berlin", clock.instant());
        }
        clock.advance(Duration.between(clock.instant(), Instant.parse("2026-03-20T19:01:00Z")));
        SchedulerHandler other = new SchedulerHandler(ScheduleWiring.scheduler(
                        ScheduleConfig.scheduler(stack.env("SchedulerFunction")),
                        stack.clientsFor("SchedulerFunction"),
                        clock)
                .slotProcessor());

        // WHEN two invocations run over it concurrently (a retried invocation overlapping the first)
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            var a = pool.submit(() -> handler.handleRequest(Map.of(), null));
            var b = pool.submit(() -> other.handleRequest(Map.of(), null));
            a.get();
            b.get();
        }

        // THEN each subject got its first reminder exactly once
        assertThat(fixture.drain(reminders))
                .extracting(
                        m -> Json.mapper().readTree(m.body()).get("subjectId").asText())
                .containsExactlyInAnyOrder("SUBJ-1", "SUBJ-2", "SUBJ-3", "SUBJ-4", "SUBJ-5");
    }

    private Occurrence today() {
        return fixture.occurrences("SUBJ-1").stream()
                .filter(o -> o.taskId().localDate().equals(DAY))
                .findFirst()
                .orElseThrow();
    }

    private Map<String, AttributeValue> subjectCounter() {
        return fixture.counter(
                ScheduleKeys.subjectCounterPk(fixture.study), ScheduleKeys.subjectCounterSk(DAY, "SITE-01", "SUBJ-1"));
    }
}
