package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.json.Json;
import org.openepro.core.schedule.Occurrence;
import org.openepro.core.schedule.WindowVerdict;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.MutableClock;
import org.openepro.schedule.ApiCalls;
import org.openepro.schedule.ScheduleApiHandler;
import org.openepro.schedule.ScheduleConfig;
import org.openepro.schedule.ScheduleFixture;
import org.openepro.schedule.ScheduleWiring;
import org.openepro.schedule.SchedulerHandler;

/**
 * {@code compliance-csv} over counters the real scheduler moved (a daily protocol, three subjects, two evenings
 * of windows opening, reminding and closing, answers completing occurrences as submit-report's transaction
 * does), exported through the export handlers as the template wires them, and read back from S3.
 */
@ExtendWith(AwsEmulatorExtension.class)
class ComplianceCsvExportIT {
    private static final LocalDate DAY = LocalDate.parse("2026-03-20");
    private static final String HEADER = "studyId,siteId,subjectId,day,expected,onTime,late,missed,adherencePercent";

    private EmulatedStack stack;
    private MutableClock clock;
    private SchedulerHandler scheduler;
    private ScheduleFixture fixture;
    private ApiCalls scheduleApi;
    private ExportHarness exports;
    private String study;

    @BeforeEach
    void twoEveningsOfThreeSubjects(EmulatedStack stack) throws Exception {
        this.stack = stack;
        this.clock = new MutableClock(Instant.parse("2026-03-20T12:00:00Z"));
        ScheduleWiring wiring = ScheduleWiring.scheduler(
                ScheduleConfig.scheduler(stack.env("SchedulerFunction")), stack.clientsFor("SchedulerFunction"), clock);
        this.scheduler = new SchedulerHandler(wiring.slotProcessor());
        this.fixture = new ScheduleFixture(stack, wiring);
        this.study = fixture.study;
        this.scheduleApi = new ApiCalls(
                new ScheduleApiHandler(ScheduleWiring.api(
                                ScheduleConfig.api(stack.env("ScheduleApiFunction")),
                                stack.clientsFor("ScheduleApiFunction"),
                                clock)
                        .routes()),
                study);
        this.exports = new ExportHarness(stack, Map.of());
        // daily pain NRS at 20:00 Berlin (19:00Z in March), window to 24:00 (23:00Z)
        fixture.protocol(ScheduleFixture.dailyPain(DAY, "Europe/Berlin"), clock.instant());
        for (String s : List.of("SUBJ-1", "SUBJ-2", "SUBJ-3")) {
            fixture.enroll(s, DAY, "Europe/Berlin", clock.instant());
        }
        // the 20th: SUBJ-1 answers in time, SUBJ-2 and SUBJ-3 do not; SUBJ-3 answers late after the close
        evening(DAY, Set.of("SUBJ-1"));
        complete("SUBJ-3", DAY, WindowVerdict.LATE);
        // the 21st: SUBJ-2 and SUBJ-3 answer in time, SUBJ-1 does not
        evening(DAY.plusDays(1), Set.of("SUBJ-2", "SUBJ-3"));
    }

    @Test
    void anIdentifiedExportBySubjectEqualsTheHandCountAndWhatTheComplianceRouteAnswers() throws Exception {
        // WHEN a data manager with the identified role exports compliance by subject
        String exportId = exports.request(study, """
                {"format":"compliance-csv","from":"2026-03-20","to":"2026-03-21","by":"subject","profile":"identified"}""", "export-identified");
        exports.drain();
        JsonNode job = exports.status(exportId, study, "export-identified");
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        byte[] file =
                exports.download(job.path("download").path("url").asText()).body();

        // THEN the file is the count by hand: SUBJ-1 1 on time 1 missed, SUBJ-2 the same, SUBJ-3 1 late 1 on time
        assertThat(new String(file, StandardCharsets.UTF_8))
                .isEqualTo(HEADER + "\r\n"
                        + study + ",SITE-01,SUBJ-1,,2,1,0,1,50.0\r\n"
                        + study + ",SITE-01,SUBJ-2,,2,1,0,1,50.0\r\n"
                        + study + ",SITE-01,SUBJ-3,,2,1,1,0,100.0\r\n");

        // AND it equals what GET compliance answers for the same range, row for row
        assertThat(ExportFiles.rows("csv", file))
                .isEqualTo(apiRows(Map.of("from", "2026-03-20", "to", "2026-03-21", "by", "subject"), study));

        // AND the job and its manifest say what it is, with the data dictionary beside it
        assertThat(job.path("format").asText()).isEqualTo("compliance-csv");
        assertThat(job.path("by").asText()).isEqualTo("subject");
        assertThat(job.path("rowCount").asLong()).isEqualTo(3);
        assertThat(job.path("subjectCount").asLong()).isEqualTo(3);
        assertThat(job.path("bytes").asLong()).isEqualTo(file.length);
        assertThat(job.path("manifest").path("output").get(0).path("type").asText())
                .isEqualTo("MeasureReport");
        assertThat(ExportFiles.rows(
                        "csv",
                        exports.download(job.path("dictionary").path("url").asText())
                                .body()))
                .extracting(r -> r.get("variable"))
                .containsExactly(HEADER.split(","));
    }

    @Test
    void aDeidentifiedExportByDayCountsTheSameAndNamesNoSubject() throws Exception {
        // WHEN compliance is exported by day, and by subject, with the default (de-identified) profile
        String byDay = exports.request(study, """
                {"format":"compliance-csv","from":"2026-03-20","to":"2026-03-21"}""", null);
        String bySubject = exports.request(study, """
                {"format":"compliance-csv","from":"2026-03-20","to":"2026-03-21","by":"subject"}""", null);
        exports.drain();
        byte[] days = file(byDay);
        byte[] subjects = file(bySubject);

        // THEN by day: 3 expected each evening; the 20th 1 on time 1 late 1 missed, the 21st 2 on time 1 missed
        assertThat(new String(days, StandardCharsets.UTF_8))
                .isEqualTo(HEADER.replace("subjectId", "pseudonym") + "\r\n"
                        + study + ",,,2026-03-20,3,1,1,1,66.7\r\n"
                        + study + ",,,2026-03-21,3,2,0,1,66.7\r\n");
        assertThat(ExportFiles.rows("csv", days))
                .isEqualTo(apiRows(Map.of("from", "2026-03-20", "to", "2026-03-21"), study));
        assertThat(exports.status(byDay, study, null).path("profile").asText()).isEqualTo("deidentified");

        // AND by subject: each row under the subject's pseudonym from the study's mapping, no subject id anywhere
        String text = new String(subjects, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("SUBJ-");
        Map<String, String> pseudonyms = new HashMap<>();
        for (var item : exports.exportItems(study)) {
            if (item.get("sk").s().startsWith("S#")) {
                pseudonyms.put(item.get("pseudonym").s(), item.get("sk").s().substring(2));
            }
        }
        assertThat(pseudonyms).hasSize(3);
        Map<String, String> counted = new HashMap<>();
        for (Map<String, String> row : ExportFiles.rows("csv", subjects)) {
            counted.put(
                    pseudonyms.get(row.get("pseudonym")),
                    row.get("expected") + "/" + row.get("onTime") + "/" + row.get("late") + "/" + row.get("missed"));
        }
        assertThat(counted).isEqualTo(Map.of("SUBJ-1", "2/1/0/1", "SUBJ-2", "2/1/0/1", "SUBJ-3", "2/1/1/0"));
    }

    @Test
    void refusesWhatDoesNotApplyToCountsWithAFieldErrorEachAndStoresNothing() throws Exception {
        APIGatewayV2HTTPResponse r = exports.post(study, """
                {"format":"compliance-csv","from":"2026-03-20","to":"2026-03-21",
                 "questionnaires":["pain-nrs"],"labels":true,"layout":"long","entity":"report:R-1"}""", study, null);

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(422);
        assertThat(Json.mapper().readTree(r.getBody()).path("errors").findValuesAsText("pointer"))
                .containsExactlyInAnyOrder("/questionnaires", "/labels", "/layout", "/entity");
        assertThat(exports.exportItems(study)).isEmpty();
        assertThat(exports.auditActions(study)).doesNotContain("EXPORT_REQUESTED");
    }

    private byte[] file(String exportId) throws Exception {
        JsonNode job = exports.status(exportId, study, null);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        return exports.download(job.path("download").path("url").asText()).body();
    }

    /** GET compliance's rows as a research nurse gets them, as the CSV reader gives rows (empty cells left out). */
    private List<Map<String, String>> apiRows(Map<String, String> query, String studyId) {
        APIGatewayV2HTTPResponse r = scheduleApi.compliance(query, ApiCalls.nurse(studyId));
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        List<Map<String, String>> out = new ArrayList<>();
        for (JsonNode row : ApiCalls.json(r).path("rows")) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("studyId", studyId);
            for (String f : List.of("siteId", "subjectId", "day", "expected", "onTime", "late", "missed")) {
                if (row.hasNonNull(f)) {
                    m.put(f, row.get(f).asText());
                }
            }
            // one decimal, as the file writes it (the JSON number 50.0 may read back as 50)
            m.put(
                    "adherencePercent",
                    row.get("adherencePercent")
                            .decimalValue()
                            .setScale(1, RoundingMode.UNNECESSARY)
                            .toPlainString());
            out.add(m);
        }
        return out;
    }

    /** The scheduler over one evening's window: at its opening, its second reminder and its close. */
    private void evening(LocalDate day, Set<String> answerInTime) {
        fixture.cursorAt(Instant.parse(day + "T19:00:00Z"));
        runAt(day + "T19:01:00Z");
        for (String s : answerInTime) {
            complete(s, day, WindowVerdict.ON_TIME);
        }
        runAt(day + "T21:01:00Z");
        runAt(day + "T23:01:00Z");
    }

    private void runAt(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
        Map<String, Object> summary = scheduler.handleRequest(Map.of(), null);
        assertThat(summary.get("failures")).as(summary.toString()).isEqualTo(0);
    }

    /** What submit-report's transaction writes for an answer to that day's occurrence. */
    private void complete(String subject, LocalDate day, WindowVerdict verdict) {
        Occurrence o = fixture.occurrences(subject).stream()
                .filter(x -> x.taskId().localDate().equals(day))
                .findFirst()
                .orElseThrow();
        stack.clients()
                .dynamo()
                .transactWriteItems(b -> b.transactItems(
                        fixture.storeOccurrences().completion(o, "report-" + subject + "-" + day, verdict)));
    }
}
