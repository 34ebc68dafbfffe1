package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.alert.AlertConfig;
import org.openepro.alert.AlertHandler;
import org.openepro.alert.AlertWiring;
import org.openepro.core.json.Json;
import org.openepro.core.questionnaire.QuestionnaireRegistry;
import org.openepro.core.questionnaire.SampleResponses;
import org.openepro.core.schedule.Occurrence;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.MutableClock;
import org.openepro.emulator.QueueDriver;
import org.openepro.emulator.SampleEvents;
import org.openepro.schedule.ApiCalls;
import org.openepro.schedule.ScheduleApiHandler;
import org.openepro.schedule.ScheduleConfig;
import org.openepro.schedule.ScheduleFixture;
import org.openepro.schedule.ScheduleWiring;
import org.openepro.schedule.SchedulerHandler;
import org.openepro.submit.SubmitConfig;
import org.openepro.submit.SubmitReportHandler;
import org.openepro.submit.SubmitWiring;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A study's schedule from end to end, through the handlers of the four functions it crosses (schedule API,
 * scheduler, submit-report, alert), each as the template wires it and calling AWS as its own role, on one
 * clock the test moves: a protocol and an enrollment, the patient's tasks, each reminder published once, an
 * answer completing its task and cancelling its last reminder, windows closing unanswered, the third miss in
 * a row raising one nurse alert, compliance equal to a count by hand, and the scheduler run again over the
 * same slots changing nothing.
 */
@ExtendWith(AwsEmulatorExtension.class)
class ScheduleChainIT {
    private static final LocalDate DAY = LocalDate.parse("2026-03-20");
    private static final String PAIN_ITEM = "72514-3";

    private EmulatedStack stack;
    private MutableClock clock;
    private ScheduleFixture fixture;
    private ApiCalls api;
    private SchedulerHandler scheduler;
    private SubmitReportHandler submit;
    private AlertHandler alert;
    private QueueDriver alertQueue;
    private String study;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        // Friday 2026-03-20, 10:00 in Berlin (CET, UTC+1 until the 29th)
        this.clock = new MutableClock(Instant.parse("2026-03-20T09:00:00Z"));
        ScheduleWiring schedulerWiring = ScheduleWiring.scheduler(
                ScheduleConfig.scheduler(stack.env("SchedulerFunction")), stack.clientsFor("SchedulerFunction"), clock);
        this.scheduler = new SchedulerHandler(schedulerWiring.slotProcessor());
        this.fixture = new ScheduleFixture(stack, schedulerWiring);
        this.study = fixture.study;
        this.api = new ApiCalls(
                new ScheduleApiHandler(ScheduleWiring.api(
                                ScheduleConfig.api(stack.env("ScheduleApiFunction")),
                                stack.clientsFor("ScheduleApiFunction"),
                                clock)
                        .routes()),
                study);
        this.submit = new SubmitReportHandler(SubmitWiring.builder(
                        SubmitConfig.fromEnv(stack.env("SubmitReportFunction")),
                        stack.clientsFor("SubmitReportFunction"))
                .clock(clock)
                .build());
        this.alert = new AlertHandler(
                AlertWiring.builder(AlertConfig.fromEnv(stack.env("AlertFunction")), stack.clientsFor("AlertFunction"))
                        .clock(clock)
                        .build());
        this.alertQueue = new QueueDriver(stack, "AlertQueue");
        // the stack's one scheduler cursor: this story starts now
        fixture.cursorAt(clock.instant());
    }

    @Test
    void aProtocolRunsFromEnrollmentThroughRemindersAnswerAndMissesToOneAlertAndCompliance() throws Exception {
        // GIVEN the app's push service and a nurse listening to this study, a daily pain NRS at 20:00 Berlin
        // (window 4 h, reminders at 0 and 2 h, 3 misses in a row: MEDIUM) and a subject enrolled today
        String reminders = fixture.subscribeToReminders();
        String nurse = fixture.subscribe("NurseAlertsTopic");
        assertThat(api.putProtocol(ScheduleFixture.dailyPain(DAY, "Europe/Berlin"), ApiCalls.designer(study))
                        .getStatusCode())
                .isEqualTo(201);
        APIGatewayV2HTTPResponse enrolled = api.putSubject(
                "SUBJ-1",
                ApiCalls.enrollment("SITE-01", DAY.toString(), null, "active", null),
                ApiCalls.coordinator(study, "SITE-01"));
        assertThat(enrolled.getStatusCode()).as(enrolled.getBody()).isEqualTo(201);

        // WHEN the patient lists their tasks, THEN tonight's is there, requested, for the pain NRS
        JsonNode tonight = task(tasks(), "pain-daily.2026-03-20.v1");
        assertThat(tonight.get("status").asText()).isEqualTo("requested");
        assertThat(tonight.at("/focus/reference").asText()).isEqualTo(ScheduleFixture.PAIN);

        // WHEN the scheduler runs as the window opens, and again in the same slot
        runSchedulerAt("2026-03-20T19:01:00Z");
        runSchedulerAt("2026-03-20T19:03:00Z");
        // THEN the first reminder is published once
        assertThat(reminderIds(reminders)).containsExactly("pain-daily.2026-03-20.v1#r1");

        // WHEN the patient answers at 20:30 Berlin through submit-report, naming no task
        APIGatewayV2HTTPResponse answered = submitPain("2026-03-20T19:30:00Z", "2026-03-20T20:30:00+01:00");
        // THEN the report is on time for tonight's task, which is completed
        assertThat(answered.getStatusCode()).as(answered.getBody()).isEqualTo(201);
        JsonNode receipt = ApiCalls.json(answered);
        assertThat(receipt.get("taskId").asText()).isEqualTo("pain-daily.2026-03-20.v1");
        assertThat(receipt.get("windowVerdict").asText()).isEqualTo("on-time");
        assertThat(task(tasks(), "pain-daily.2026-03-20.v1").get("status").asText())
                .isEqualTo("completed");
        // AND its second reminder (21:00Z) is never sent; the alert function raises nothing for a pain of 2
        runSchedulerAt("2026-03-20T21:01:00Z");
        runSchedulerAt("2026-03-20T23:06:00Z");
        assertThat(reminderIds(reminders)).isEmpty();
        assertThat(handleAlertQueue()).as("the report.stored message").isEqualTo(1);
        assertThat(fixture.drain(nurse)).isEmpty();

        // WHEN the next three evenings go unanswered (the scheduler at each reminder and after each close)
        List<String> sent = new ArrayList<>();
        for (String day : List.of("2026-03-21", "2026-03-22", "2026-03-23")) {
            // nothing is due between the evenings: skip the idle slots (4 queries each) to keep the test short
            fixture.cursorAt(Instant.parse(day + "T19:00:00Z"));
            runSchedulerAt(day + "T19:01:00Z");
            runSchedulerAt(day + "T21:01:00Z");
            runSchedulerAt(day + "T23:06:00Z");
            sent.addAll(reminderIds(reminders));
            // THEN the window is missed (FHIR: failed); the app lists a closed task for a day
            assertThat(task(tasks(), "pain-daily." + day + ".v1").get("status").asText())
                    .isEqualTo("failed");
            if (!day.equals("2026-03-23")) {
                // THEN after the first and the second miss the scheduler sent the alert queue nothing
                assertThat(handleAlertQueue())
                        .as("alert queue after the miss of %s", day)
                        .isZero();
            }
        }
        // THEN each window got both reminders, once each
        assertThat(sent)
                .containsExactly(
                        "pain-daily.2026-03-21.v1#r1",
                        "pain-daily.2026-03-21.v1#r2",
                        "pain-daily.2026-03-22.v1#r1",
                        "pain-daily.2026-03-22.v1#r2",
                        "pain-daily.2026-03-23.v1#r1",
                        "pain-daily.2026-03-23.v1#r2");
        // AND the third miss in a row raised one MEDIUM nurse alert through the alert function, ids only
        assertThat(handleAlertQueue()).as("the missed-pattern message").isEqualTo(1);
        List<Message> alerts = fixture.drain(nurse);
        assertThat(alerts).singleElement().satisfies(m -> {
            JsonNode a = Json.mapper().readTree(m.body());
            assertThat(a.get("ruleId").asText()).isEqualTo("missed-pattern:pain-daily");
            assertThat(a.get("severity").asText()).isEqualTo("MEDIUM");
            assertThat(a.get("subjectId").asText()).isEqualTo("SUBJ-1");
            assertThat(a.has("reportId")).isFalse();
        });

        // AND compliance equals the count by hand: 4 expected (20th-23rd), 1 on time, 0 late, 3 missed, 25 %
        JsonNode bySubject = compliance("subject");
        assertThat(bySubject.get("rows")).singleElement().satisfies(r -> {
            assertThat(r.get("subjectId").asText()).isEqualTo("SUBJ-1");
            assertThat(r.get("expected").asInt()).isEqualTo(4);
            assertThat(r.get("onTime").asInt()).isEqualTo(1);
            assertThat(r.get("late").asInt()).isZero();
            assertThat(r.get("missed").asInt()).isEqualTo(3);
            assertThat(r.get("adherencePercent").decimalValue()).isEqualByComparingTo("25.0");
        });
        Map<String, String> days = new HashMap<>();
        compliance("day")
                .get("rows")
                .forEach(r -> days.put(
                        r.get("day").asText(),
                        r.get("expected").asInt() + "/" + r.get("onTime").asInt() + "/"
                                + r.get("late").asInt() + "/" + r.get("missed").asInt()));
        assertThat(days)
                .isEqualTo(Map.of(
                        "2026-03-20",
                        "1/1/0/0",
                        "2026-03-21",
                        "1/0/0/1",
                        "2026-03-22",
                        "1/0/0/1",
                        "2026-03-23",
                        "1/0/0/1"));

        // AND a full day's adherence reads as the plain decimal 100.0 that the console and analysts' tools show
        // (the default JSON node factory wrote it as 1E+2)
        assertThat(api.compliance(Map.of("from", "2026-03-20", "to", "2026-03-20", "by", "day"), ApiCalls.nurse(study))
                        .getBody())
                .contains("\"adherencePercent\":100.0")
                .doesNotContain("E+");

        // WHEN the scheduler goes over the last evening's slots twice more (its cursor set back each time, as
        // after a lost cursor write or an overlapping retry)
        List<Occurrence> before = fixture.occurrences("SUBJ-1");
        for (int run = 0; run < 2; run++) {
            fixture.cursorAt(Instant.parse("2026-03-23T18:55:00Z"));
            runSchedulerAt("2026-03-23T23:06:00Z");
        }
        // THEN nothing is sent, raised or counted again, and no occurrence changed
        assertThat(reminderIds(reminders)).isEmpty();
        assertThat(handleAlertQueue()).isZero();
        assertThat(fixture.drain(nurse)).isEmpty();
        assertThat(fixture.occurrences("SUBJ-1")).isEqualTo(before);
        assertThat(compliance("subject").get("rows")).isEqualTo(bySubject.get("rows"));
    }

    private JsonNode tasks() {
        APIGatewayV2HTTPResponse r = api.tasks("SITE-01", "SUBJ-1");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return ApiCalls.json(r);
    }

    private static JsonNode task(JsonNode bundle, String id) {
        for (JsonNode e : bundle.path("entry")) {
            if (e.at("/resource/id").asText().equals(id)) {
                return e.get("resource");
            }
        }
        throw new AssertionError("no task " + id + " in " + bundle);
    }

    /** The sample pain submission as SUBJ-1's app sends it at {@code receivedAt}: a pain of 2, authored then. */
    private APIGatewayV2HTTPResponse submitPain(String receivedAt, String authored) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(receivedAt)));
        APIGatewayV2HTTPEvent event = ApiCalls.asCaller(
                SampleEvents.httpApi("submit-pain-nrs.json"), ApiCalls.patient(study, "SITE-01", "SUBJ-1"));
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("idempotency-key", UUID.randomUUID().toString());
        event.setHeaders(headers);
        event.setBody(SampleResponses.of(
                        QuestionnaireRegistry.load().latest("pain-nrs").orElseThrow(), authored)
                .score(PAIN_ITEM, BigDecimal.valueOf(2))
                .json()
                .toString());
        return submit.handleRequest(event, null);
    }

    private JsonNode compliance(String by) {
        APIGatewayV2HTTPResponse r =
                api.compliance(Map.of("from", "2026-03-20", "to", "2026-03-23", "by", by), ApiCalls.nurse(study));
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return ApiCalls.json(r);
    }

    private void runSchedulerAt(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
        Map<String, Object> summary = scheduler.handleRequest(Map.of(), null);
        assertThat(summary.get("failures")).as(summary.toString()).isEqualTo(0);
    }

    /**
     * Hands every message of this study now on the alert queue to the alert function, in one batch; how many
     * there were. Other tests' messages (the module's tests share the stack) are left for them.
     */
    private int handleAlertQueue() {
        List<Message> ours = new ArrayList<>();
        List<Message> others = new ArrayList<>();
        for (List<Message> batch = alertQueue.receiveOnce(10); !batch.isEmpty(); batch = alertQueue.receiveOnce(10)) {
            batch.forEach(m -> (m.body().contains("\"" + study + "\"") ? ours : others).add(m));
        }
        if (!others.isEmpty()) {
            alertQueue.makeVisibleAgain(others);
        }
        if (ours.isEmpty()) {
            return 0;
        }
        SQSBatchResponse response = alert.handleRequest(
                alertQueue.event(ours), EmulatedLambdaContext.withRemaining("AlertFunction", 30_000));
        assertThat(response.getBatchItemFailures()).isEmpty();
        alertQueue.delete(ours);
        return ours.size();
    }

    private List<String> reminderIds(String queue) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Message m : fixture.drain(queue)) {
            ids.add(Json.mapper().readTree(m.body()).get("reminderId").asText());
        }
        return ids;
    }
}
