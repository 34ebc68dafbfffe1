package org.openepro.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.schedule.ApiCalls.coordinator;
import static org.openepro.schedule.ApiCalls.designer;
import static org.openepro.schedule.ApiCalls.enrollment;
import static org.openepro.schedule.ApiCalls.json;
import static org.openepro.schedule.ApiCalls.nurse;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.audit.Actor;
import org.openepro.core.audit.ActorRole;
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.AuditLog;
import org.openepro.core.questionnaire.study.StudyQuestionnaireStore;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.MutableClock;
import org.openepro.emulator.SampleEvents;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The schedule API through its handler as the template wires it, against the emulated stack:
 * what designers, coordinators, patients and nurses get, and what is (not) stored.
 */
@ExtendWith(AwsEmulatorExtension.class)
class ScheduleApiIT {
    private static final String PAIN_NRS = "https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0";

    private EmulatedStack stack;
    private MutableClock clock;
    private ScheduleApiHandler handler;
    private ApiCalls api;
    private String study;
    private String protocol;

    @BeforeEach
    void wire(EmulatedStack stack) throws Exception {
        this.stack = stack;
        this.clock = new MutableClock(Instant.parse("2026-03-20T09:00:00Z"));
        this.study = "ST-" + UUID.randomUUID();
        this.handler = new ScheduleApiHandler(ScheduleWiring.api(
                        ScheduleConfig.api(stack.env("ScheduleApiFunction")),
                        stack.clientsFor("ScheduleApiFunction"),
                        clock)
                .routes());
        this.api = new ApiCalls(handler, study);
        // the sample's own protocol: daily pain NRS at 20:00 and weekly PHQ-9, sites in Berlin and New York
        // (compact, as the tests below edit it as text)
        this.protocol = ApiCalls.json(
                        SampleEvents.httpApi("schedule-put-protocol.json").getBody())
                .toString();
    }

    @Test
    void aDesignerStoresAnAuditedVersionAndTheSameDocumentAgainStoresNothing() {
        // WHEN a study designer puts the protocol, twice, then a changed one
        APIGatewayV2HTTPResponse first = api.putProtocol(protocol, designer(study));
        APIGatewayV2HTTPResponse again = api.putProtocol(protocol, designer(study));
        APIGatewayV2HTTPResponse changed = api.putProtocol(protocol.replace("\"20:00\"", "\"19:30\""), designer(study));

        // THEN version 1 (201), the same version 1 (200), then version 2 (201)
        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(json(first).get("version").asInt()).isEqualTo(1);
        assertThat(json(first).at("/protocol/entries/0/id").asText()).isEqualTo("pain-daily");
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(json(again).get("version").asInt()).isEqualTo(1);
        assertThat(changed.getStatusCode()).isEqualTo(201);
        assertThat(json(changed).get("version").asInt()).isEqualTo(2);
        // AND each new version has one audit event naming the designer's token subject, none for the repeat
        assertThat(audit("PROTOCOL_VERSION_CREATED"))
                .hasSize(2)
                .allSatisfy(a -> assertThat(a.get("actorRole").s()).isEqualTo("study-designer"));
    }

    @Test
    void aProtocolWithMistakesIsRefusedWithEveryFieldErrorAndNothingIsStored() {
        String bad = protocol.replace("America/New_York", "America/Nowhere")
                .replace("pain-nrs|1.0.0", "pain-nrs|9.9.9")
                .replace("[\"PT0S\",\"PT2H\"]", "[\"PT0S\",\"PT5H\"]");

        APIGatewayV2HTTPResponse r = api.putProtocol(bad, designer(study));

        assertThat(r.getStatusCode()).isEqualTo(422);
        assertThat(r.getHeaders().get("content-type")).isEqualTo("application/problem+json");
        JsonNode problem = json(r);
        assertThat(problem.get("type").asText()).isEqualTo("https://openepro.dev/problems/validation-failed");
        List<String> pointers = new ArrayList<>();
        problem.get("errors")
                .forEach(e -> pointers.add(
                        e.get("pointer").asText() + " " + e.get("code").asText()));
        assertThat(pointers)
                .containsExactlyInAnyOrder(
                        "/sites/1/timeZone unknown-time-zone",
                        "/entries/0/questionnaire unknown-questionnaire",
                        "/entries/0/reminders/1 reminder-outside-window");
        assertThat(api.putSubject("SUBJ-1", enrollment("SITE-01", "2026-03-20", null, null, null), designer(study))
                        .getStatusCode())
                .as("no protocol was stored")
                .isEqualTo(409);
        assertThat(audit("PROTOCOL_VERSION_CREATED")).isEmpty();
    }

    @Test
    void aProtocolMayScheduleTheStudysOwnPublishedQuestionnaire() {
        // GIVEN the study published its own questionnaire (as QuestionnaireAdminFunction stores it)
        String own = publish(study);

        // WHEN its designer puts a protocol whose daily entry names it
        APIGatewayV2HTTPResponse r = api.putProtocol(protocol.replace(PAIN_NRS, own), designer(study));

        // THEN version 1 is stored with it, and a subject enrolled on it gets its tasks
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(201);
        assertThat(json(r).at("/protocol/entries/0/questionnaire").asText()).isEqualTo(own);
        assertThat(api.putSubject("SUBJ-1", enrollment("SITE-01", "2026-03-20", null, null, null), designer(study))
                        .getStatusCode())
                .isEqualTo(201);
        JsonNode bundle = json(api.tasks("SITE-01", "SUBJ-1"));
        List<String> focus = new ArrayList<>();
        bundle.get("entry")
                .forEach(e -> focus.add(e.at("/resource/focus/reference").asText()));
        assertThat(focus).contains(own);
    }

    @Test
    void aProtocolNamingAnotherStudysQuestionnaireOrAnUnknownOneIsRefusedAndNothingIsStored() {
        // GIVEN another study published a questionnaire
        String others = publish("ST-other-" + UUID.randomUUID());

        // WHEN this study's designer names it, and a canonical nobody published
        APIGatewayV2HTTPResponse r = api.putProtocol(
                protocol.replace(PAIN_NRS, others)
                        .replace(
                                "https://openepro.dev/fhir/Questionnaire/phq-9|1.1.0",
                                "https://example.org/Questionnaire/none|1.0.0"),
                designer(study));

        // THEN 422 with both field errors, no version stored, nothing audited
        assertThat(r.getStatusCode()).isEqualTo(422);
        List<String> pointers = new ArrayList<>();
        json(r).get("errors")
                .forEach(e -> pointers.add(
                        e.get("pointer").asText() + " " + e.get("code").asText()));
        assertThat(pointers)
                .containsExactlyInAnyOrder(
                        "/entries/0/questionnaire unknown-questionnaire",
                        "/entries/1/questionnaire unknown-questionnaire");
        assertThat(api.putSubject("SUBJ-1", enrollment("SITE-01", "2026-03-20", null, null, null), designer(study))
                        .getStatusCode())
                .as("no protocol was stored")
                .isEqualTo(409);
        assertThat(audit("PROTOCOL_VERSION_CREATED")).isEmpty();
    }

    @Test
    void aProtocolNamingARetiredVersionIsRefusedAndNothingIsStored() {
        // GIVEN the study published its own questionnaire and then retired that version
        String own = publish(study);
        retire(study, own);

        // WHEN its designer puts a protocol whose daily entry names the retired version
        APIGatewayV2HTTPResponse r = api.putProtocol(protocol.replace(PAIN_NRS, own), designer(study));

        // THEN 422 naming the entry (its tasks could never be answered), no version stored, nothing audited
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(422);
        List<String> pointers = new ArrayList<>();
        json(r).get("errors")
                .forEach(e -> pointers.add(
                        e.get("pointer").asText() + " " + e.get("code").asText()));
        assertThat(pointers).containsExactly("/entries/0/questionnaire retired-questionnaire");
        assertThat(api.putSubject("SUBJ-1", enrollment("SITE-01", "2026-03-20", null, null, null), designer(study))
                        .getStatusCode())
                .as("no protocol was stored")
                .isEqualTo(409);
        assertThat(audit("PROTOCOL_VERSION_CREATED")).isEmpty();
    }

    /** Retires a version {@link #publish} stored, as QuestionnaireAdminFunction does. */
    private void retire(String owner, String canonical) {
        ObjectNode q = (ObjectNode)
                json(SampleEvents.httpApi("publish-questionnaire.json").getBody());
        q.put("url", canonical.substring(0, canonical.indexOf('|')));
        q.put("status", "retired");
        assertThat(studyQuestionnaires()
                        .retire(
                                owner,
                                canonical,
                                q.toString().getBytes(StandardCharsets.UTF_8),
                                clock.instant(),
                                AuditEvent.of(
                                                AuditAction.QUESTIONNAIRE_RETIRED,
                                                new Actor("designer", EnumSet.of(ActorRole.STUDY_DESIGNER)),
                                                clock.instant())
                                        .study(owner)
                                        .entity(canonical)
                                        .build()))
                .isTrue();
    }

    private StudyQuestionnaireStore studyQuestionnaires() {
        return new StudyQuestionnaireStore(
                stack.clients().dynamo(),
                stack.ref("QuestionnairesTable"),
                new AuditLog(stack.clients().dynamo(), stack.ref("AuditTable")));
    }

    /** Publishes the sample study questionnaire under {@code owner}'s url; returns its canonical. */
    private String publish(String owner) {
        ObjectNode q = (ObjectNode)
                json(SampleEvents.httpApi("publish-questionnaire.json").getBody());
        q.put("url", "https://example.org/studies/" + owner + "/Questionnaire/sleep-diary");
        byte[] bytes = q.toString().getBytes(StandardCharsets.UTF_8);
        String canonical = q.get("url").asText() + "|" + q.get("version").asText();
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        assertThat(studyQuestionnaires()
                        .create(
                                new StudyQuestionnaireStore.Stored(
                                        owner, canonical, bytes, hash, "active", clock.instant(), "designer"),
                                AuditEvent.of(
                                                AuditAction.QUESTIONNAIRE_PUBLISHED,
                                                new Actor("designer", EnumSet.of(ActorRole.STUDY_DESIGNER)),
                                                clock.instant())
                                        .study(owner)
                                        .entity(canonical)
                                        .build()))
                .isTrue();
        return canonical;
    }

    @Test
    void onlyADesignerAssignedToTheStudyMayChangeItsProtocol() {
        assertThat(api.putProtocol(protocol, coordinator(study, "SITE-01")).getStatusCode())
                .isEqualTo(403);
        assertThat(api.putProtocol(protocol, designer("ST-other")).getStatusCode())
                .isEqualTo(403);
        assertThat(api.putProtocol(protocol, nurse(study)).getStatusCode()).isEqualTo(403);
        assertThat(audit("PROTOCOL_VERSION_CREATED")).isEmpty();
    }

    @Test
    void enrollmentMaterialisesTwoWeeksAndThePatientSeesThemAsFhirTasks() {
        api.putProtocol(protocol, designer(study));

        // WHEN a coordinator of SITE-01 enrolls a subject (zone: the site's, Berlin)
        APIGatewayV2HTTPResponse enrolled = api.putSubject(
                "SUBJ-1", enrollment("SITE-01", "2026-03-20", null, null, null), coordinator(study, "SITE-01"));

        // THEN 201, 15 daily and 2 weekly occurrences, audited
        assertThat(enrolled.getStatusCode()).isEqualTo(201);
        assertThat(json(enrolled).get("timeZone").asText()).isEqualTo("Europe/Berlin");
        assertThat(json(enrolled).at("/occurrences/created").asInt()).isEqualTo(15 + 2);
        assertThat(audit("SUBJECT_ENROLLED"))
                .singleElement()
                .satisfies(a -> assertThat(a.get("entityId").s()).isEqualTo("SUBJ-1"));

        // AND the patient's token lists them as a FHIR Bundle of Tasks, earliest window first
        APIGatewayV2HTTPResponse tasks = api.tasks("SITE-01", "SUBJ-1");
        assertThat(tasks.getStatusCode()).isEqualTo(200);
        assertThat(tasks.getHeaders().get("content-type")).isEqualTo("application/fhir+json");
        JsonNode bundle = json(tasks);
        assertThat(bundle.get("resourceType").asText()).isEqualTo("Bundle");
        assertThat(bundle.get("total").asInt()).isEqualTo(17);
        JsonNode first = bundle.at("/entry/0/resource");
        assertThat(first.get("resourceType").asText()).isEqualTo("Task");
        assertThat(first.get("id").asText()).isEqualTo("pain-daily.2026-03-20.v1");
        assertThat(first.get("status").asText()).isEqualTo("requested");
        assertThat(first.at("/focus/reference").asText())
                .isEqualTo("https://openepro.dev/fhir/Questionnaire/pain-nrs|1.0.0");
        assertThat(first.at("/for/reference").asText()).isEqualTo("Patient/SUBJ-1");
        assertThat(first.at("/executionPeriod/start").asText()).isEqualTo("2026-03-20T20:00:00+01:00");
        assertThat(first.at("/executionPeriod/end").asText()).isEqualTo("2026-03-21T00:00:00+01:00");
        // after the clocks change on 03-29, still 20:00 local
        JsonNode afterDst = find(bundle, "pain-daily.2026-03-30.v1");
        assertThat(afterDst.at("/executionPeriod/start").asText()).isEqualTo("2026-03-30T20:00:00+02:00");
        assertThat(find(bundle, "phq9-weekly.2026-03-23.v1")
                        .at("/executionPeriod/end")
                        .asText())
                .isEqualTo("2026-03-25T09:00:00+01:00");
        // AND another subject of the study sees none of them
        assertThat(json(api.tasks("SITE-01", "SUBJ-2")).get("total").asInt()).isZero();
    }

    @Test
    void aCoordinatorMayEnrollOnlyAtTheirOwnSite() {
        api.putProtocol(protocol, designer(study));

        APIGatewayV2HTTPResponse r = api.putSubject(
                "SUBJ-9", enrollment("SITE-02", "2026-03-20", null, null, null), coordinator(study, "SITE-01"));

        assertThat(r.getStatusCode()).isEqualTo(403);
        assertThat(json(api.tasks("SITE-02", "SUBJ-9")).get("total").asInt()).isZero();
        assertThat(audit("SUBJECT_ENROLLED")).isEmpty();
    }

    @Test
    void anEnrollmentWithMistakesIsRefusedWithEveryFieldError() {
        api.putProtocol(protocol, designer(study));

        APIGatewayV2HTTPResponse r = api.putSubject(
                "SUBJ-1",
                "{\"siteId\":\"SITE-77\",\"enrolledOn\":\"2026-02-30\",\"timeZone\":\"Mars/Olympus\",\"status\":\"withdrawn\"}",
                designer(study));

        assertThat(r.getStatusCode()).isEqualTo(422);
        List<String> pointers = new ArrayList<>();
        json(r).get("errors")
                .forEach(e -> pointers.add(
                        e.get("pointer").asText() + " " + e.get("code").asText()));
        assertThat(pointers)
                .containsExactlyInAnyOrder(
                        "/siteId unknown-site",
                        "/enrolledOn invalid",
                        "/timeZone unknown-time-zone",
                        "/reason required");
        assertThat(json(api.tasks("SITE-77", "SUBJ-1")).get("total").asInt()).isZero();
    }

    @Test
    void travelMovesTheTasksThatHaveNotOpenedToTheNewZone() {
        api.putProtocol(protocol, designer(study));
        api.putSubject("SUBJ-1", enrollment("SITE-01", "2026-03-20", null, null, null), designer(study));

        // WHEN at 19:30Z (20:30 in Berlin, today's window open) the subject flies to New York
        clock.advance(java.time.Duration.ofMinutes(10 * 60 + 30));
        APIGatewayV2HTTPResponse moved = api.putSubject(
                "SUBJ-1", enrollment("SITE-01", "2026-03-20", "America/New_York", null, null), designer(study));

        // THEN today's task keeps Berlin's times; from tomorrow, 20:00 in New York
        assertThat(moved.getStatusCode()).isEqualTo(200);
        assertThat(json(moved).at("/occurrences/moved").asInt()).isGreaterThan(10);
        JsonNode bundle = json(api.tasks("SITE-01", "SUBJ-1"));
        assertThat(find(bundle, "pain-daily.2026-03-20.v1")
                        .at("/executionPeriod/start")
                        .asText())
                .isEqualTo("2026-03-20T20:00:00+01:00");
        assertThat(find(bundle, "pain-daily.2026-03-20.v1").get("status").asText())
                .isEqualTo("in-progress");
        assertThat(find(bundle, "pain-daily.2026-03-21.v1")
                        .at("/executionPeriod/start")
                        .asText())
                .isEqualTo("2026-03-21T20:00:00-04:00");
        assertThat(audit("SUBJECT_ZONE_CHANGED")).hasSize(1);
    }

    @Test
    void aWithdrawalCancelsPendingTasksAndIsFinal() {
        api.putProtocol(protocol, designer(study));
        api.putSubject("SUBJ-1", enrollment("SITE-01", "2026-03-20", null, null, null), designer(study));

        APIGatewayV2HTTPResponse withdrawn = api.putSubject(
                "SUBJ-1", enrollment("SITE-01", "2026-03-20", null, "withdrawn", "consent-withdrawn"), designer(study));
        APIGatewayV2HTTPResponse back =
                api.putSubject("SUBJ-1", enrollment("SITE-01", "2026-03-20", null, "active", null), designer(study));

        assertThat(withdrawn.getStatusCode()).isEqualTo(200);
        assertThat(json(withdrawn).at("/occurrences/cancelled").asInt()).isEqualTo(17);
        JsonNode bundle = json(api.tasks("SITE-01", "SUBJ-1"));
        bundle.get("entry")
                .forEach(e -> assertThat(e.at("/resource/status").asText()).isEqualTo("cancelled"));
        assertThat(back.getStatusCode()).isEqualTo(409);
        assertThat(audit("SUBJECT_WITHDRAWN"))
                .singleElement()
                .satisfies(a -> assertThat(a.get("reason").s()).isEqualTo("consent-withdrawn"));
    }

    @Test
    void complianceIsForStaffOfTheStudyAndRefusesBadParametersWithEveryError() {
        api.putProtocol(protocol, designer(study));

        APIGatewayV2HTTPResponse ok = api.compliance(Map.of("from", "2026-03-20", "to", "2026-03-26"), nurse(study));
        APIGatewayV2HTTPResponse other =
                api.compliance(Map.of("from", "2026-03-20", "to", "2026-03-26"), nurse("ST-other"));
        APIGatewayV2HTTPResponse bad =
                api.compliance(Map.of("from", "2026-03-30", "to", "2026-03-20", "by", "week"), nurse(study));

        assertThat(ok.getStatusCode()).isEqualTo(200);
        assertThat(json(ok).at("/total/expected").asInt()).isZero();
        assertThat(json(ok).at("/total/adherencePercent").isNull()).isTrue();
        assertThat(other.getStatusCode()).isEqualTo(403);
        assertThat(bad.getStatusCode()).isEqualTo(400);
        List<String> pointers = new ArrayList<>();
        json(bad).get("errors").forEach(e -> pointers.add(e.get("pointer").asText()));
        assertThat(pointers).containsExactlyInAnyOrder("/by", "/to");
    }

    private static JsonNode find(JsonNode bundle, String taskId) {
        for (JsonNode e : bundle.get("entry")) {
            if (e.at("/resource/id").asText().equals(taskId)) {
                return e.get("resource");
            }
        }
        throw new AssertionError("no task " + taskId);
    }

    private List<Map<String, AttributeValue>> audit(String action) {
        return stack
                .clients()
                .dynamo()
                .query(b -> b.tableName(stack.ref("AuditTable"))
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("A#" + study))))
                .items()
                .stream()
                .filter(i -> i.get("action").s().equals(action))
                .toList();
    }
}
