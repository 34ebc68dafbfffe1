package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.submit.StackAssertions.reports;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.id.Participant;
import org.openepro.core.schedule.Enrollment;
import org.openepro.core.schedule.EnrollmentItems;
import org.openepro.core.schedule.EnrollmentStatus;
import org.openepro.core.schedule.MissedAlertRule;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.OccurrenceItems;
import org.openepro.core.schedule.OccurrenceStatus;
import org.openepro.core.schedule.ScheduleKeys;
import org.openepro.core.schedule.ScheduledSubject;
import org.openepro.core.schedule.TaskId;
import org.openepro.core.schedule.Window;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.MutableClock;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Submissions of a subject on a study schedule, through the handler as the template wires it: the
 * task answered, its window verdict on the report, the task completed and counted in the same
 * transaction, and a withdrawn subject refused with nothing stored.
 */
@ExtendWith(AwsEmulatorExtension.class)
class ScheduledSubmissionIT {
    private static final String PAIN = "https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0";
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    // the sample pain submission is authored 2026-11-27T08:02:11-05:00 (13:02:11Z)
    private static final LocalDate DAY = LocalDate.parse("2026-11-27");
    private static final TaskId TASK = new TaskId("pain-daily", DAY, 1);

    private EmulatedStack stack;
    private MutableClock clock;
    private SubmitReportHandler handler;
    private Participant patient;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.clock = new MutableClock(Instant.parse("2026-11-27T13:05:00Z"));
        this.handler = new SubmitReportHandler(
                SubmitWiring.builder(SubmitConfig.fromEnv(stack.env("SubmitReportFunction")), stack.clients())
                        .clock(clock)
                        .build());
        this.patient = TestRequests.newPatient();
    }

    @Test
    void aSubmissionInsideTheOpenWindowCompletesItsTaskOnTimeAndCountsItOnce() {
        // GIVEN an enrolled subject whose 08:00 pain window (13:00Z-17:00Z) is open
        enroll(EnrollmentStatus.ACTIVE);
        occurrence(OccurrenceStatus.PENDING);

        // WHEN the app sends the pain answer, naming no task, and the same request again (a retry)
        APIGatewayV2HTTPEvent event = TestRequests.sample("submit-pain-nrs.json", patient);
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        APIGatewayV2HTTPResponse retry = handler.handleRequest(event, null);

        // THEN 201 with the task and the verdict, stored on the report
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        JsonNode receipt = TestRequests.json(response);
        assertThat(receipt.path("taskId").asText()).isEqualTo(TASK.toString());
        assertThat(receipt.path("windowVerdict").asText()).isEqualTo("on-time");
        String reportId = receipt.path("reportId").asText();
        assertThat(reports(stack, patient)).singleElement().satisfies(item -> {
            assertThat(item.get("taskId").s()).isEqualTo(TASK.toString());
            assertThat(item.get("windowVerdict").s()).isEqualTo("on-time");
        });
        // AND the task is completed by that report and has left the scheduler's index (no more reminders)
        Map<String, AttributeValue> task = item(
                ScheduleKeys.occurrencePk(patient.studyId(), patient.subjectId()), ScheduleKeys.occurrenceSk(TASK));
        assertThat(task.get("status").s()).isEqualTo("COMPLETED");
        assertThat(task.get("reportId").s()).isEqualTo(reportId);
        assertThat(task).doesNotContainKeys(ScheduleKeys.DUE_BUCKET, ScheduleKeys.DUE_AT);
        // AND the subject's day counts one expected, one on time, once, the retry replayed the receipt
        assertThat(retry.getStatusCode()).isEqualTo(201);
        assertThat(TestRequests.json(retry).path("reportId").asText()).isEqualTo(reportId);
        Map<String, AttributeValue> day = item(
                ScheduleKeys.subjectCounterPk(patient.studyId()),
                ScheduleKeys.subjectCounterSk(DAY, patient.siteId(), patient.subjectId()));
        assertThat(day.get("expected").n()).isEqualTo("1");
        assertThat(day.get("onTime").n()).isEqualTo("1");
    }

    @Test
    void anAnswerNamingItsTaskAfterTheWindowClosedIsLateAndCompletesIt() {
        // GIVEN the window closed at 17:00Z, and the device clock says 18:30Z
        enroll(EnrollmentStatus.ACTIVE);
        occurrence(OccurrenceStatus.PENDING);
        clock.advance(Duration.ofHours(5).plusMinutes(30));
        APIGatewayV2HTTPEvent event = TestRequests.sample("submit-pain-nrs.json", patient);
        ObjectNode body = TestRequests.body(event);
        body.put("authored", "2026-11-27T13:30:00-05:00");
        body.putArray("basedOn").addObject().put("reference", "Task/" + TASK);
        event.setBody(body.toString());

        // WHEN it is posted
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        // THEN it is stored late, and completes the task
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(TestRequests.json(response).path("windowVerdict").asText()).isEqualTo("late");
        assertThat(item(
                                ScheduleKeys.occurrencePk(patient.studyId(), patient.subjectId()),
                                ScheduleKeys.occurrenceSk(TASK))
                        .get("status")
                        .s())
                .isEqualTo("COMPLETED");
    }

    @Test
    void aBasedOnNamingNoTaskOfTheSubjectIs422AndNothingIsStored() {
        enroll(EnrollmentStatus.ACTIVE);
        occurrence(OccurrenceStatus.PENDING);
        APIGatewayV2HTTPEvent event = TestRequests.sample("submit-pain-nrs.json", patient);
        ObjectNode body = TestRequests.body(event);
        body.putArray("basedOn").addObject().put("reference", "Task/pain-daily.2026-11-20.v1");
        event.setBody(body.toString());

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(422);
        assertThat(TestRequests.errorCodes(response)).containsExactly("unknown-task");
        assertThat(reports(stack, patient)).isEmpty();
        assertThat(item(
                                ScheduleKeys.occurrencePk(patient.studyId(), patient.subjectId()),
                                ScheduleKeys.occurrenceSk(TASK))
                        .get("status")
                        .s())
                .isEqualTo("PENDING");
    }

    @Test
    void aWithdrawnSubjectsSubmissionIsRefusedWith409AndNothingIsStored() {
        // GIVEN a subject who has withdrawn
        enroll(EnrollmentStatus.WITHDRAWN);

        // WHEN the app still sends an answer
        APIGatewayV2HTTPResponse response =
                handler.handleRequest(TestRequests.sample("submit-pain-nrs.json", patient), null);

        // THEN 409 subject-withdrawn as problem+json, and no report, audit event or queue message
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(409);
        assertThat(response.getHeaders().get("content-type")).startsWith("application/problem+json");
        assertThat(TestRequests.json(response).path("type").asText()).endsWith("/subject-withdrawn");
        assertThat(reports(stack, patient)).isEmpty();
        assertThat(StackAssertions.auditEvents(stack, patient.studyId())).isEmpty();
    }

    @Test
    void aSubjectNotOnAScheduleIsStoredUnscheduled() {
        APIGatewayV2HTTPResponse response =
                handler.handleRequest(TestRequests.sample("submit-pain-nrs.json", patient), null);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(TestRequests.json(response).path("windowVerdict").asText()).isEqualTo("unscheduled");
        assertThat(TestRequests.json(response).has("taskId")).isFalse();
    }

    private void enroll(EnrollmentStatus status) {
        Enrollment e = new Enrollment(
                subject(),
                DAY.minusDays(3),
                NEW_YORK,
                status,
                status == EnrollmentStatus.ACTIVE ? null : "consent-withdrawn");
        put(EnrollmentItems.toItem(e));
    }

    private void occurrence(OccurrenceStatus status) {
        Instant at = Instant.parse("2026-11-27T13:00:00Z");
        Occurrence o = new Occurrence(
                subject(),
                TASK,
                PAIN,
                4,
                NEW_YORK,
                at,
                new Window(at, at.plus(Duration.ofHours(4))),
                List.of(at, at.plus(Duration.ofHours(2))),
                MissedAlertRule.NONE,
                Occurrence.Progress.NEW.withStatus(status));
        put(OccurrenceItems.toItem(o));
    }

    private ScheduledSubject subject() {
        return new ScheduledSubject(patient.studyId(), patient.siteId(), patient.subjectId());
    }

    private void put(Map<String, AttributeValue> item) {
        stack.clients()
                .dynamo()
                .putItem(b -> b.tableName(stack.ref("ScheduleTable")).item(item));
    }

    private Map<String, AttributeValue> item(String pk, String sk) {
        return stack.clients()
                .dynamo()
                .getItem(b -> b.tableName(stack.ref("ScheduleTable"))
                        .consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk))))
                .item();
    }
}
