package org.openepro.staff;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.alert.AlertConfig;
import org.openepro.alert.AlertHandler;
import org.openepro.alert.AlertWiring;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.ActorRole;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.json.Json;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.QueueDriver;
import org.openepro.emulator.SampleEvents;
import org.openepro.emulator.SampleReports;
import org.openepro.emulator.StaffRequests;
import org.openepro.index.IndexConfig;
import org.openepro.index.IndexReportHandler;
import org.openepro.index.IndexWiring;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The staff read API as the template wires it, on reports that went through the real index and
 * alert handlers from their queues.
 */
@ExtendWith(AwsEmulatorExtension.class)
class StaffApiHandlerIT {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final String NURSE = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    private static final String ITEM_9 = "44260-8";

    private EmulatedStack stack;
    private StaffApiHandler api;
    private String study;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.api = new StaffApiHandler(StaffApiWiring.of(
                StaffApiConfig.fromEnv(stack.env("StaffApiFunction")),
                stack.clientsFor("StaffApiFunction"),
                Clock.fixed(NOW, ZoneOffset.UTC)));
        this.study = "ST-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aReportShowsEveryVersionWithItemTextsScoresAndWhoAmendedWhatAndTheReadIsAudited() throws Exception {
        // GIVEN a PHQ-9 with item 9 answered 1, then amended (item 9 corrected to 0) with a reason
        Report v1 = SampleReports.of("phq-9")
                .study(study)
                .site("SITE-01")
                .answer(ITEM_9, 1)
                .answer("44250-9", 2)
                .receivedAt(Instant.parse("2026-11-27T09:30:00Z"))
                .build();
        Report v2 = SampleReports.of("phq-9")
                .study(study)
                .site("SITE-01")
                .reportId(v1.reportId())
                .subject(v1.subjectId())
                .version(2)
                .answer(ITEM_9, 0)
                .answer("44250-9", 2)
                .authoredAt(v1.authoredAt())
                .firstReceivedAt(v1.receivedAt())
                .receivedAt(Instant.parse("2026-11-27T10:00:00Z"))
                .amendmentReason("patient tapped the wrong answer")
                .build();
        pipeline(v1);
        pipeline(v2);

        // WHEN a nurse of the study opens it
        APIGatewayV2HTTPResponse response = api.handleRequest(report(study, v1.reportId(), "[" + study + "]"), null);

        // THEN both versions, oldest first, with the item's text beside each answer
        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.getBody());
        assertThat(body.get("subjectId").asText()).isEqualTo(v1.subjectId());
        assertThat(body.get("questionnaire").get("title").asText()).isEqualTo("Patient Health Questionnaire-9 (PHQ-9)");
        JsonNode versions = body.get("versions");
        assertThat(versions).hasSize(2);
        JsonNode first = versions.get(0);
        assertThat(first.get("version").asInt()).isEqualTo(1);
        JsonNode item9 = answer(first, ITEM_9);
        assertThat(item9.get("text").asText()).startsWith("Thoughts that you would be better off dead");
        assertThat(item9.get("value").asInt()).isEqualTo(1);
        assertThat(item9.get("display").asText())
                .isEqualTo(v1.answer(ITEM_9).orElseThrow().display());
        // AND the scores with their bands, both clocks and the window verdict
        JsonNode total = first.get("scores").get(0);
        assertThat(total.get("id").asText()).isEqualTo("total");
        assertThat(total.get("title").asText()).isEqualTo("PHQ-9 total");
        assertThat(total.get("value").asInt()).isEqualTo(3);
        assertThat(total.get("band").asText()).isEqualTo("minimal");
        assertThat(first.get("authored").asText()).isEqualTo(v1.authored());
        assertThat(Instant.parse(first.get("receivedAt").asText())).isEqualTo(v1.receivedAt());
        assertThat(first.get("onTime").asBoolean()).isTrue();
        assertThat(first.get("changedItems")).isEmpty();
        // AND who amended what and why
        JsonNode second = versions.get(1);
        assertThat(second.get("amendmentReason").asText()).isEqualTo("patient tapped the wrong answer");
        assertThat(second.get("submittedBy").asText()).isEqualTo(v2.submittedBy());
        assertThat(second.get("changedItems")).extracting(JsonNode::asText).containsExactly(ITEM_9);
        assertThat(answer(second, ITEM_9).get("value").asInt()).isZero();
        // AND the PHQ-9 bands as published, for the chart
        JsonNode scale = body.get("scoreScales").get(0);
        assertThat(scale.get("id").asText()).isEqualTo("total");
        assertThat(scale.get("bands"))
                .extracting(b -> b.get("code").asText())
                .containsExactly("minimal", "mild", "moderate", "moderately-severe", "severe");
        // AND the read itself is one audit event: who read which report, ids only
        List<Map<String, AttributeValue>> views = audit("REPORT_VIEWED");
        assertThat(views).singleElement().satisfies(e -> {
            assertThat(e.get("actor").s()).isEqualTo(NURSE);
            assertThat(e.get("actorRole").s()).isEqualTo("research-nurse");
            assertThat(e.get("entityId").s()).isEqualTo(v1.reportId());
            assertThat(e.get("at").s()).isEqualTo("2026-11-27T12:00:00.000Z");
            assertThat(e.get("details").m().get("versions").s()).isEqualTo("2");
        });
        // AND the report's history shows this very read
        assertThat(body.get("history"))
                .extracting(h -> h.get("action").asText())
                .contains("REPORT_VIEWED");
    }

    @Test
    void aReportOfAQuestionnaireTheStudyPublishedShowsItsTitleItemTextsAndScoreScale() throws Exception {
        // GIVEN the study published its own diary (events/publish-questionnaire.json), which no built-in knows
        com.fasterxml.jackson.databind.node.ObjectNode q =
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper()
                        .readTree(SampleEvents.httpApi("publish-questionnaire.json")
                                .getBody());
        q.put("url", "https://example.org/studies/" + study + "/Questionnaire/sleep-diary");
        byte[] json = Json.mapper().writeValueAsBytes(q);
        org.openepro.core.questionnaire.QuestionnaireDefinition diary =
                org.openepro.core.questionnaire.QuestionnaireRegistry.parse(json);
        assertThat(SampleReports.registry().byCanonical(diary.canonical())).isEmpty();
        org.openepro.core.audit.AuditLog auditLog =
                new org.openepro.core.audit.AuditLog(stack.clients().dynamo(), stack.ref("AuditTable"));
        assertThat(new org.openepro.core.questionnaire.study.StudyQuestionnaireStore(
                                stack.clients().dynamo(), stack.ref("QuestionnairesTable"), auditLog)
                        .create(
                                new org.openepro.core.questionnaire.study.StudyQuestionnaireStore.Stored(
                                        study, diary.canonical(), json, "sha256-test", "active", NOW, "designer-1"),
                                AuditEvent.of(
                                                AuditAction.QUESTIONNAIRE_PUBLISHED,
                                                new Actor("designer-1", java.util.EnumSet.of(ActorRole.STUDY_DESIGNER)),
                                                NOW)
                                        .study(study)
                                        .entity(diary.canonical())
                                        .build()))
                .isTrue();
        // AND a patient's report of it
        Report report = SampleReports.of(diary)
                .study(study)
                .site("SITE-01")
                .answer("slept-well", 1)
                .answer("rested", 2)
                .build();
        pipeline(report);

        // WHEN a nurse of the study opens it
        APIGatewayV2HTTPResponse response =
                api.handleRequest(report(study, report.reportId(), "[" + study + "]"), null);

        // THEN the questionnaire's title, its items' texts and its score scale are the study's published ones
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.getBody());
        assertThat(body.get("questionnaire").get("title").asText()).isEqualTo("Sleep diary");
        JsonNode first = body.get("versions").get(0);
        assertThat(answer(first, "slept-well").get("text").asText()).isEqualTo("Did you sleep well last night?");
        assertThat(answer(first, "rested").get("text").asText()).isEqualTo("How rested do you feel?");
        assertThat(body.get("scoreScales"))
                .extracting(s -> s.get("id").asText())
                .containsExactly("rested");
    }

    @Test
    void anotherStudysReportIsNotFoundExactlyLikeAnUnknownOneAndNothingIsAudited() throws Exception {
        Report report = SampleReports.of("phq-9").study(study).answer(ITEM_9, 1).build();
        pipeline(report);

        // a nurse of another study asks for it under their own study, and under this one
        APIGatewayV2HTTPResponse ownStudy =
                api.handleRequest(report("OTHER-STUDY", report.reportId(), "[OTHER-STUDY]"), null);
        APIGatewayV2HTTPResponse thisStudy = api.handleRequest(report(study, report.reportId(), "[OTHER-STUDY]"), null);
        APIGatewayV2HTTPResponse unknown =
                api.handleRequest(report(study, UUID.randomUUID().toString(), "[" + study + "]"), null);
        APIGatewayV2HTTPResponse notAnId = api.handleRequest(report(study, "not-a-uuid", "[" + study + "]"), null);

        for (APIGatewayV2HTTPResponse r : List.of(ownStudy, thisStudy, unknown, notAnId)) {
            assertThat(r.getStatusCode()).isEqualTo(404);
            assertThat(r.getHeaders()).containsEntry("content-type", "application/problem+json");
            assertThat(r.getBody()).doesNotContain(report.subjectId()).doesNotContain("PHQ");
        }
        assertThat(Json.mapper().readTree(ownStudy.getBody()).get("detail"))
                .isEqualTo(Json.mapper().readTree(unknown.getBody()).get("detail"));
        assertThat(audit("REPORT_VIEWED")).isEmpty();
    }

    @Test
    void withoutTheAlertsScopeNothingIsReadAndNothingIsAudited() {
        Report report = SampleReports.of("phq-9").study(study).build();
        pipeline(report);
        APIGatewayV2HTTPEvent event = report(study, report.reportId(), "[" + study + "]");
        event.getRequestContext().getAuthorizer().getJwt().setScopes(List.of("epro/report.write"));
        Map<String, String> claims =
                new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("scope", "epro/report.write");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);

        APIGatewayV2HTTPResponse response = api.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getBody()).doesNotContain(report.subjectId());
        assertThat(audit("REPORT_VIEWED")).isEmpty();
    }

    @Test
    void theTimelineGivesScoresNewestFirstOfOneQuestionnaireWithItsBandsAndIsAudited() throws Exception {
        // GIVEN a subject with three PHQ-9s a week apart and a pain score in between
        String subject = "SUBJ-" + UUID.randomUUID().toString().substring(0, 6);
        List<Report> phq = new ArrayList<>();
        for (int week = 0; week < 3; week++) {
            Instant at = Instant.parse("2026-11-06T09:00:00Z").plusSeconds(week * 7 * 86_400L);
            Report r = SampleReports.of("phq-9")
                    .study(study)
                    .subject(subject)
                    .answer("44250-9", week)
                    .answer("44255-8", week)
                    .receivedAt(at)
                    .build();
            phq.add(r);
            pipeline(r);
        }
        pipeline(SampleReports.of("pain-nrs")
                .study(study)
                .subject(subject)
                .answer("72514-3", 6)
                .receivedAt(Instant.parse("2026-11-10T09:00:00Z"))
                .build());

        // WHEN a nurse opens the PHQ-9 timeline
        APIGatewayV2HTTPResponse response =
                api.handleRequest(timeline(subject, Map.of("questionnaire", "phq-9")), null);

        // THEN the three totals, newest first, each with its band and device time with offset
        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.getBody());
        assertThat(body.get("points"))
                .extracting(p -> p.get("reportId").asText())
                .containsExactly(
                        phq.get(2).reportId(), phq.get(1).reportId(), phq.get(0).reportId());
        assertThat(body.get("points"))
                .extracting(p -> p.get("scores").get(0).get("value").asInt())
                .containsExactly(4, 2, 0);
        assertThat(body.get("points").get(1).get("scores").get(0).get("band").asText())
                .isEqualTo("minimal");
        assertThat(body.get("points").get(0).get("authored").asText())
                .isEqualTo(phq.get(2).authored());
        assertThat(body.get("points").get(0).has("answers")).isFalse();
        assertThat(body.get("scoreScales"))
                .extracting(s -> s.get("questionnaireId").asText())
                .containsOnly("phq-9");
        // AND without a filter the pain score is there too
        JsonNode all = Json.mapper()
                .readTree(api.handleRequest(timeline(subject, Map.of()), null).getBody());
        assertThat(all.get("points")).hasSize(4);
        assertThat(all.get("scoreScales"))
                .extracting(s -> s.get("questionnaireId").asText())
                .containsExactlyInAnyOrder("phq-9", "pain-nrs");
        // AND pages of two walk the four, each once
        JsonNode page1 = Json.mapper()
                .readTree(api.handleRequest(timeline(subject, Map.of("limit", "2")), null)
                        .getBody());
        JsonNode page2 = Json.mapper()
                .readTree(api.handleRequest(
                                timeline(
                                        subject,
                                        Map.of(
                                                "limit",
                                                "2",
                                                "next",
                                                page1.get("next").asText())),
                                null)
                        .getBody());
        Set<String> seen = new HashSet<>();
        page1.get("points").forEach(p -> seen.add(p.get("reportId").asText()));
        page2.get("points").forEach(p -> seen.add(p.get("reportId").asText()));
        assertThat(seen).hasSize(4);
        // AND each read of the score history is audited
        assertThat(audit("TIMELINE_VIEWED"))
                .hasSize(4)
                .allSatisfy(e -> assertThat(e.get("entityId").s()).isEqualTo(subject));
    }

    @Test
    void theTimelineOfAnotherStudysSubjectIsNotFound() {
        String subject = "SUBJ-" + UUID.randomUUID().toString().substring(0, 6);
        pipeline(SampleReports.of("phq-9").study(study).subject(subject).build());

        APIGatewayV2HTTPEvent event = timeline(subject, Map.of());
        StaffRequests.asStaff(event, NURSE, "[OTHER-STUDY]");

        assertThat(api.handleRequest(event, null).getStatusCode()).isEqualTo(404);
        assertThat(api.handleRequest(timeline("SUBJ-NOBODY", Map.of()), null).getStatusCode())
                .isEqualTo(404);
        assertThat(audit("TIMELINE_VIEWED")).isEmpty();
    }

    @Test
    void theRosterListsSubjectsBySiteWithLatestScoresOpenAlertsAndOnTimeShare() throws Exception {
        // GIVEN two subjects at SITE-01 (one with an URGENT alert, one late report) and one at SITE-02
        Report urgent = SampleReports.of("phq-9")
                .study(study)
                .site("SITE-01")
                .subject("SUBJ-A")
                .answer(ITEM_9, 1)
                .receivedAt(Instant.parse("2026-11-26T09:00:00Z"))
                .build();
        pipeline(urgent);
        pipeline(SampleReports.of("pain-nrs")
                .study(study)
                .site("SITE-01")
                .subject("SUBJ-A")
                .answer("72514-3", 2)
                .receivedAt(Instant.parse("2026-11-27T09:00:00Z"))
                .onTime(false)
                .build());
        pipeline(SampleReports.of("gad-7")
                .study(study)
                .site("SITE-01")
                .subject("SUBJ-B")
                .build());
        pipeline(SampleReports.of("gad-7")
                .study(study)
                .site("SITE-02")
                .subject("SUBJ-C")
                .build());

        // WHEN a nurse lists SITE-01
        JsonNode site1 = Json.mapper()
                .readTree(api.handleRequest(subjects(Map.of("siteId", "SITE-01")), null)
                        .getBody());

        // THEN its two subjects, with what the console shows for each
        assertThat(site1.get("subjects"))
                .extracting(s -> s.get("subjectId").asText())
                .containsExactly("SUBJ-A", "SUBJ-B");
        JsonNode a = site1.get("subjects").get(0);
        assertThat(a.get("reports").asInt()).isEqualTo(2);
        assertThat(a.get("late").asInt()).isEqualTo(1);
        assertThat(a.get("onTimeRate").asDouble()).isEqualTo(0.5);
        assertThat(a.get("openAlerts").asInt()).isEqualTo(1);
        assertThat(a.get("highestOpenSeverity").asText()).isEqualTo("URGENT");
        assertThat(a.get("latest"))
                .extracting(l -> l.get("questionnaireId").asText())
                .containsExactly("pain-nrs", "phq-9");
        assertThat(site1.get("subjects").get(1).get("openAlerts").asInt()).isZero();
        // AND the whole study has all three, page by page
        JsonNode page1 = Json.mapper()
                .readTree(
                        api.handleRequest(subjects(Map.of("limit", "2")), null).getBody());
        assertThat(page1.get("subjects")).hasSize(2);
        JsonNode page2 = Json.mapper()
                .readTree(api.handleRequest(
                                subjects(Map.of(
                                        "limit", "2", "next", page1.get("next").asText())),
                                null)
                        .getBody());
        assertThat(page2.get("subjects"))
                .extracting(s -> s.get("subjectId").asText())
                .containsExactly("SUBJ-C");
        assertThat(page2.has("next")).isFalse();
        // AND staff of another study see none of it
        APIGatewayV2HTTPEvent outsider = subjects(Map.of());
        StaffRequests.asStaff(outsider, NURSE, "[OTHER-STUDY]");
        APIGatewayV2HTTPResponse refused = api.handleRequest(outsider, null);
        assertThat(refused.getStatusCode()).isEqualTo(404);
        assertThat(refused.getBody()).doesNotContain("SUBJ-A");
    }

    @Test
    void theAuditTrailPagesThroughTheStudysEventsInRangeAndByEntity() throws Exception {
        // GIVEN three reports of this study and one of another, and one read of the first report
        List<Report> reports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Report r = SampleReports.of("gad-7")
                    .study(study)
                    .receivedAt(Instant.parse("2026-11-26T10:00:00Z").plusSeconds(i * 60L))
                    .build();
            reports.add(r);
            pipeline(r);
            appendCreated(r);
        }
        Report elsewhere = SampleReports.of("gad-7").study("OTHER-" + study).build();
        appendCreated(elsewhere);
        assertThat(api.handleRequest(report(study, reports.get(0).reportId(), "[" + study + "]"), null)
                        .getStatusCode())
                .isEqualTo(200);

        // WHEN a monitor pages through the 26th and 27th, two at a time
        List<JsonNode> events = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            Map<String, String> q = new HashMap<>(Map.of("from", "2026-11-26", "to", "2026-11-27", "limit", "2"));
            if (next != null) {
                q.put("next", next);
            }
            APIGatewayV2HTTPResponse r = api.handleRequest(audit(q), null);
            assertThat(r.getStatusCode()).isEqualTo(200);
            JsonNode page = Json.mapper().readTree(r.getBody());
            page.get("events").forEach(events::add);
            next = page.hasNonNull("next") ? page.get("next").asText() : null;
            pages++;
        } while (next != null && pages < 10);

        // THEN the three creations and the read, oldest first, and nothing of the other study
        assertThat(events)
                .extracting(e -> e.get("action").asText())
                .containsExactly("REPORT_CREATED", "REPORT_CREATED", "REPORT_CREATED", "REPORT_VIEWED");
        assertThat(events).allSatisfy(e -> assertThat(e.get("studyId").asText()).isEqualTo(study));
        // AND one entity's events only
        JsonNode first = Json.mapper()
                .readTree(api.handleRequest(
                                audit(Map.of(
                                        "from",
                                        "2026-11-26",
                                        "to",
                                        "2026-11-27",
                                        "entity",
                                        "report:" + reports.get(0).reportId())),
                                null)
                        .getBody());
        assertThat(first.get("events"))
                .extracting(e -> e.get("action").asText())
                .containsExactly("REPORT_CREATED", "REPORT_VIEWED");
        // AND another study's report id, asked under this study, shows nothing
        JsonNode other = Json.mapper()
                .readTree(api.handleRequest(
                                audit(Map.of(
                                        "from",
                                        "2026-11-26",
                                        "to",
                                        "2026-11-27",
                                        "entity",
                                        "report:" + elsewhere.reportId())),
                                null)
                        .getBody());
        assertThat(other.get("events")).isEmpty();
    }

    @Test
    void badQueryParametersAreOne400NamingEachAndNothingIsRead() throws Exception {
        APIGatewayV2HTTPResponse response = api.handleRequest(
                audit(Map.of(
                        "from",
                        "yesterday",
                        "to",
                        "2026-13-01",
                        "entity",
                        "patient:SUBJ-1",
                        "limit",
                        "1000",
                        "next",
                        "Zm9v")),
                null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        JsonNode problem = Json.mapper().readTree(response.getBody());
        assertThat(problem.get("errors"))
                .extracting(e -> e.get("pointer").asText())
                .containsExactlyInAnyOrder("?from", "?to", "?entity", "?limit", "?next");
        assertThat(api.handleRequest(audit(Map.of("from", "2026-11-27", "to", "2026-11-26")), null)
                        .getStatusCode())
                .isEqualTo(400);
        assertThat(api.handleRequest(timeline("SUBJ-1", Map.of("questionnaire", "PHQ 9")), null)
                        .getStatusCode())
                .isEqualTo(400);
        assertThat(api.handleRequest(subjects(Map.of("siteId", "../x")), null).getStatusCode())
                .isEqualTo(400);
    }

    @Test
    void theConsoleSettingsNeedNoTokenAndNameTheApiThatServedThem() throws Exception {
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi("console-config.json");

        APIGatewayV2HTTPResponse response = api.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.getBody());
        assertThat(body.get("apiUrl").asText()).isEqualTo("https://abc123.execute-api.eu-west-1.amazonaws.com");
        assertThat(body.get("scopes")).extracting(JsonNode::asText).contains("openid", "epro/alerts", "epro/export");
        assertThat(body.has("issuer")).isTrue();
        assertThat(body.has("clientId")).isTrue();
    }

    @Test
    void primingReadsWritesAndAuditsNothing() {
        // GIVEN a report of the study
        Report report = SampleReports.of("phq-9").study(study).build();
        pipeline(report);

        // WHEN the SnapStart priming runs
        StaffApiHandler.prime(api);

        // THEN nothing was audited (its report read is refused before any read)
        assertThat(stack.clients()
                        .dynamo()
                        .query(b -> b.tableName(stack.ref("AuditTable"))
                                .keyConditionExpression("pk = :pk")
                                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("A#PRIMING"))))
                        .items())
                .isEmpty();
        assertThat(audit("REPORT_VIEWED")).isEmpty();
    }

    /** Stores the report version and runs it through the index and alert handlers from their queues. */
    private void pipeline(Report report) {
        stack.clients()
                .dynamo()
                .putItem(b -> b.tableName(stack.ref("ReportsTable")).item(ReportItems.toItem(report)));
        String message =
                ReportMessage.CODEC.encode(new ReportMessage(report.reportId(), report.version(), report.studyId()));
        QueueDriver index = new QueueDriver(stack, "IndexQueue");
        index.send(message);
        IndexReportHandler indexer = new IndexReportHandler(IndexWiring.of(
                IndexConfig.fromEnv(stack.env("IndexReportFunction")),
                stack.clientsFor("IndexReportFunction"),
                Clock.fixed(report.receivedAt(), ZoneOffset.UTC)));
        assertThat(indexer.handleRequest(
                                index.event(index.receive(1)),
                                EmulatedLambdaContext.withRemaining("IndexReportFunction", 30_000))
                        .getBatchItemFailures())
                .isEmpty();
        QueueDriver alerts = new QueueDriver(stack, "AlertQueue");
        alerts.send(message);
        AlertHandler alerter = new AlertHandler(
                AlertWiring.builder(AlertConfig.fromEnv(stack.env("AlertFunction")), stack.clientsFor("AlertFunction"))
                        .clock(Clock.fixed(report.receivedAt(), ZoneOffset.UTC))
                        .build());
        assertThat(alerter.handleRequest(
                                alerts.event(alerts.receive(1)),
                                EmulatedLambdaContext.withRemaining("AlertFunction", 30_000))
                        .getBatchItemFailures())
                .isEmpty();
    }

    /** The audit event submit-report writes with a report. */
    private void appendCreated(Report r) {
        new org.openepro.core.audit.AuditLog(stack.clients().dynamo(), stack.ref("AuditTable"))
                .append(AuditEvent.of(
                                AuditAction.REPORT_CREATED,
                                new Actor(r.submittedBy(), java.util.EnumSet.of(ActorRole.PATIENT)),
                                r.receivedAt())
                        .study(r.studyId())
                        .entity(r.reportId())
                        .detail("version", "1")
                        .build());
    }

    private static JsonNode answer(JsonNode version, String linkId) {
        for (JsonNode a : version.get("answers")) {
            if (a.get("linkId").asText().equals(linkId)) {
                return a;
            }
        }
        throw new AssertionError("no answer " + linkId);
    }

    private List<Map<String, AttributeValue>> audit(String action) {
        return stack.clients()
                .dynamo()
                .query(b -> b.tableName(stack.ref("AuditTable"))
                        .keyConditionExpression("pk = :pk")
                        .filterExpression("#a = :a")
                        .expressionAttributeNames(Map.of("#a", "action"))
                        .expressionAttributeValues(
                                Map.of(":pk", AttributeValue.fromS("A#" + study), ":a", AttributeValue.fromS(action))))
                .items();
    }

    private APIGatewayV2HTTPEvent report(String studyId, String reportId, String studies) {
        return StaffRequests.request(
                "staff-report-get.json",
                "/v1/studies/" + studyId + "/reports/" + reportId,
                Map.of("studyId", studyId, "reportId", reportId),
                null,
                NURSE,
                studies);
    }

    private APIGatewayV2HTTPEvent timeline(String subjectId, Map<String, String> query) {
        return StaffRequests.request(
                "staff-timeline.json",
                "/v1/studies/" + study + "/subjects/" + subjectId + "/timeline",
                Map.of("studyId", study, "subjectId", subjectId),
                query,
                NURSE,
                "[" + study + "]");
    }

    private APIGatewayV2HTTPEvent subjects(Map<String, String> query) {
        return StaffRequests.request(
                "staff-subjects.json",
                "/v1/studies/" + study + "/subjects",
                Map.of("studyId", study),
                query,
                NURSE,
                "[" + study + "]");
    }

    private APIGatewayV2HTTPEvent audit(Map<String, String> query) {
        return StaffRequests.request(
                "staff-audit.json",
                "/v1/studies/" + study + "/audit",
                Map.of("studyId", study),
                query,
                NURSE,
                "[" + study + "]");
    }
}
