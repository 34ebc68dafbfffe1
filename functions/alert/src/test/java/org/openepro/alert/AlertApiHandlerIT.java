package org.openepro.alert;

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
import org.openepro.core.audit.AuditAction;
import org.openepro.core.audit.AuditEvent;
import org.openepro.core.audit.EntityType;
import org.openepro.core.json.Json;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.report.Report;
import org.openepro.core.report.ReportItems;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedLambdaContext;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.QueueDriver;
import org.openepro.emulator.SampleReports;
import org.openepro.emulator.StaffRequests;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The staff alert API as the template wires it, on alerts raised by the alert handler from the queue. */
@ExtendWith(AwsEmulatorExtension.class)
class AlertApiHandlerIT {
    private static final Instant RAISED = Instant.parse("2026-11-27T09:31:00Z");
    private static final Instant ACKNOWLEDGED = RAISED.plusSeconds(7 * 60);
    private static final String NURSE = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

    private EmulatedStack stack;
    private AlertApiHandler api;
    private String study;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.api = new AlertApiHandler(AlertApiWiring.of(
                AlertApiConfig.fromEnv(stack.env("AlertApiFunction")),
                stack.clientsFor("AlertApiFunction"),
                Clock.fixed(ACKNOWLEDGED, ZoneOffset.UTC)));
        this.study = "ST-" + UUID.randomUUID();
    }

    @Test
    void acknowledgesAnAlertOnceWithOneAuditEvent() throws Exception {
        // GIVEN an URGENT alert raised at 09:31
        String alertId = raiseUrgentAlerts(1).get(0);

        // WHEN a nurse assigned to the study acknowledges it at 09:38
        APIGatewayV2HTTPResponse response = api.handleRequest(ack(alertId, NURSE, study), null);

        // THEN it is acknowledged by that nurse, seven minutes after it was raised
        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(response.getBody());
        assertThat(body.get("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(body.get("acknowledgedBy").asText()).isEqualTo(NURSE);
        assertThat(body.get("timeToAcknowledgeSeconds").asLong()).isEqualTo(420);
        assertThat(body.get("link").asText()).isEqualTo("/v1/alerts/" + alertId);
        assertThat(alertItem(alertId).get("timeToAcknowledgeSeconds").n()).isEqualTo("420");
        // AND one audit event records who acknowledged what
        List<Map<String, AttributeValue>> audit = auditOf(alertId);
        assertThat(audit).singleElement().satisfies(e -> {
            assertThat(e.get("action").s()).isEqualTo(AuditAction.ALERT_ACKNOWLEDGED.name());
            assertThat(e.get("actor").s()).isEqualTo(NURSE);
            assertThat(e.get("actorRole").s()).isEqualTo("research-nurse");
            assertThat(e.get("studyId").s()).isEqualTo(study);
        });

        // WHEN another nurse acknowledges it again
        APIGatewayV2HTTPResponse repeat = api.handleRequest(ack(alertId, "other-nurse", study), null);

        // THEN the first acknowledgement stands, and nothing more is audited
        assertThat(repeat.getStatusCode()).isEqualTo(200);
        assertThat(Json.mapper()
                        .readTree(repeat.getBody())
                        .get("acknowledgedBy")
                        .asText())
                .isEqualTo(NURSE);
        assertThat(auditOf(alertId)).hasSize(1);
    }

    @Test
    void aNoteWithTheAcknowledgementIsKeptAsTheAuditReasonAndABadBodyChangesNothing() {
        String alertId = raiseUrgentAlerts(1).get(0);
        APIGatewayV2HTTPEvent tooLong = ack(alertId, NURSE, study);
        tooLong.setBody("{\"note\":\"" + "x".repeat(501) + "\"}");
        APIGatewayV2HTTPEvent notJson = ack(alertId, NURSE, study);
        notJson.setBody("note=called");
        APIGatewayV2HTTPEvent otherField = ack(alertId, NURSE, study);
        otherField.setBody("{\"status\":\"OPEN\"}");

        for (APIGatewayV2HTTPEvent bad : List.of(tooLong, notJson, otherField)) {
            assertThat(api.handleRequest(bad, null).getStatusCode()).isEqualTo(400);
        }
        assertThat(alertItem(alertId).get("status").s()).isEqualTo("OPEN");
        assertThat(auditOf(alertId)).isEmpty();

        APIGatewayV2HTTPEvent withNote = ack(alertId, NURSE, study);
        withNote.setBody("{\"note\":\"  Called the patient; safety plan in place.  \"}");
        assertThat(api.handleRequest(withNote, null).getStatusCode()).isEqualTo(200);

        assertThat(auditOf(alertId))
                .singleElement()
                .satisfies(e -> assertThat(e.get("reason").s()).isEqualTo("Called the patient; safety plan in place."));
    }

    @Test
    void staffNotAssignedToTheStudyAreAnsweredAsForAnUnknownAlertAndNothingChanges() {
        String alertId = raiseUrgentAlerts(1).get(0);

        APIGatewayV2HTTPResponse response = api.handleRequest(ack(alertId, NURSE, "ANOTHER-STUDY"), null);

        // the alert id travels in e-mails: an outsider learns nothing, not even that it exists
        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(alertItem(alertId).get("status").s()).isEqualTo("OPEN");
        assertThat(auditOf(alertId)).isEmpty();
    }

    @Test
    void withoutTheAlertsScopeTheCallIsRefused() {
        String alertId = raiseUrgentAlerts(1).get(0);
        APIGatewayV2HTTPEvent event = ack(alertId, NURSE, study);
        event.getRequestContext().getAuthorizer().getJwt().setScopes(List.of("epro/export"));
        Map<String, String> claims =
                new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("scope", "epro/export");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);

        assertThat(api.handleRequest(event, null).getStatusCode()).isEqualTo(403);
        assertThat(alertItem(alertId).get("status").s()).isEqualTo("OPEN");
    }

    @Test
    void anUnknownAlertIsNotFound() {
        assertThat(api.handleRequest(ack(UUID.randomUUID().toString(), NURSE, study), null)
                        .getStatusCode())
                .isEqualTo(404);
        assertThat(api.handleRequest(ack("not-an-id", NURSE, study), null).getStatusCode())
                .isEqualTo(404);
    }

    @Test
    void theAlertLinkOpensTheAlertForStaffOfItsStudy() throws Exception {
        // GIVEN an URGENT alert raised at 09:31, whose message links to /v1/alerts/{alertId}
        String alertId = raiseUrgentAlerts(1).get(0);
        Map<String, AttributeValue> stored = alertItem(alertId);

        // WHEN a nurse assigned to the study opens the link
        APIGatewayV2HTTPResponse response = api.handleRequest(get(alertId, "[STUDY-001 " + study + "]"), null);

        // THEN the alert: ids, rule, severity, questionnaire, open since 09:31, and nothing else
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
        JsonNode body = Json.mapper().readTree(response.getBody());
        assertThat(body.properties())
                .extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder(
                        "alertId",
                        "reportId",
                        "version",
                        "studyId",
                        "siteId",
                        "subjectId",
                        "questionnaireId",
                        "questionnaire",
                        "ruleId",
                        "severity",
                        "status",
                        "raisedAt",
                        "link");
        assertThat(body.get("alertId").asText()).isEqualTo(alertId);
        assertThat(body.get("link").asText()).isEqualTo("/v1/alerts/" + alertId);
        for (String field : List.of("reportId", "studyId", "siteId", "subjectId", "questionnaireId", "questionnaire")) {
            assertThat(body.get(field).asText())
                    .as(field)
                    .isEqualTo(stored.get(field).s());
        }
        assertThat(body.get("studyId").asText()).isEqualTo(study);
        assertThat(body.get("version").asInt()).isEqualTo(1);
        assertThat(body.get("ruleId").asText()).isEqualTo("phq9-item9-self-harm");
        assertThat(body.get("severity").asText()).isEqualTo("URGENT");
        assertThat(body.get("status").asText()).isEqualTo("OPEN");
        assertThat(Instant.parse(body.get("raisedAt").asText())).isEqualTo(RAISED);

        // WHEN it has been acknowledged at 09:38
        assertThat(api.handleRequest(ack(alertId, NURSE, study), null).getStatusCode())
                .isEqualTo(200);
        JsonNode acknowledged = Json.mapper()
                .readTree(
                        api.handleRequest(get(alertId, "[" + study + "]"), null).getBody());

        // THEN the link shows who acknowledged it, when, and seven minutes to acknowledge
        assertThat(acknowledged.get("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(acknowledged.get("acknowledgedBy").asText()).isEqualTo(NURSE);
        assertThat(Instant.parse(acknowledged.get("acknowledgedAt").asText())).isEqualTo(ACKNOWLEDGED);
        assertThat(acknowledged.get("timeToAcknowledgeSeconds").asLong()).isEqualTo(420);
    }

    @Test
    void anotherStudysAlertIsNotFoundExactlyLikeAnUnknownOne() throws Exception {
        String alertId = raiseUrgentAlerts(1).get(0);

        APIGatewayV2HTTPResponse otherStudy = api.handleRequest(get(alertId, "[ANOTHER-STUDY]"), null);
        APIGatewayV2HTTPResponse unknown =
                api.handleRequest(get(UUID.randomUUID().toString(), "[" + study + "]"), null);
        APIGatewayV2HTTPResponse notAnId = api.handleRequest(get("not-an-id", "[" + study + "]"), null);

        for (APIGatewayV2HTTPResponse r : List.of(otherStudy, unknown, notAnId)) {
            assertThat(r.getStatusCode()).isEqualTo(404);
            assertThat(r.getHeaders()).containsEntry("content-type", "application/problem+json");
        }
        // the same problem, whether the alert exists in another study or not at all
        JsonNode a = Json.mapper().readTree(otherStudy.getBody());
        JsonNode b = Json.mapper().readTree(unknown.getBody());
        for (String field : List.of("type", "title", "status", "detail")) {
            assertThat(a.get(field)).as(field).isEqualTo(b.get(field));
        }
        assertThat(otherStudy.getBody())
                .doesNotContain(study)
                .doesNotContain("phq9")
                .doesNotContain("URGENT");
    }

    @Test
    void openingAnAlertWithoutTheAlertsScopeIsRefused() {
        String alertId = raiseUrgentAlerts(1).get(0);
        APIGatewayV2HTTPEvent event = get(alertId, "[" + study + "]");
        event.getRequestContext().getAuthorizer().getJwt().setScopes(List.of("epro/export"));
        Map<String, String> claims =
                new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("scope", "epro/export");
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);

        APIGatewayV2HTTPResponse response = api.handleRequest(event, null);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(response.getBody()).doesNotContain(study).doesNotContain("URGENT");
    }

    @Test
    void listsAStudysAlertsNewestFirstByStatusPageByPage() throws Exception {
        // GIVEN five alerts, two of them acknowledged
        List<String> alertIds = raiseUrgentAlerts(5);
        for (String id : alertIds.subList(0, 2)) {
            assertThat(api.handleRequest(ack(id, NURSE, study), null).getStatusCode())
                    .isEqualTo(200);
        }

        // THEN pages of two walk through all five, newest first, each once
        assertThat(walk(null, 2)).containsExactlyElementsOf(alertIds.reversed());
        // AND the status filter pages through the open ones and the acknowledged ones
        assertThat(walk("OPEN", 2))
                .containsExactlyElementsOf(alertIds.subList(2, 5).reversed());
        assertThat(walk("ACKNOWLEDGED", 2))
                .containsExactlyElementsOf(alertIds.subList(0, 2).reversed());
        JsonNode page = Json.mapper()
                .readTree(api.handleRequest(list(study, Map.of("status", "ACKNOWLEDGED")), null)
                        .getBody());
        assertThat(page.get("items")).hasSize(2).allSatisfy(a -> {
            assertThat(a.get("status").asText()).isEqualTo("ACKNOWLEDGED");
            long raisedToAcknowledged = ACKNOWLEDGED.getEpochSecond()
                    - Instant.parse(a.get("raisedAt").asText()).getEpochSecond();
            assertThat(a.get("timeToAcknowledgeSeconds").asLong()).isEqualTo(raisedToAcknowledged);
        });
    }

    @Test
    void listingRefusesOtherStudiesAndBadParameters() {
        raiseUrgentAlerts(1);

        APIGatewayV2HTTPEvent otherStudy = list("ANOTHER-STUDY", Map.of());
        assertThat(api.handleRequest(otherStudy, null).getStatusCode()).isEqualTo(403);
        assertThat(api.handleRequest(list(study, Map.of("status", "CLOSED")), null)
                        .getStatusCode())
                .isEqualTo(400);
        assertThat(api.handleRequest(list(study, Map.of("limit", "0")), null).getStatusCode())
                .isEqualTo(400);
        assertThat(api.handleRequest(list(study, Map.of("limit", "101")), null).getStatusCode())
                .isEqualTo(400);
        assertThat(api.handleRequest(list(study, Map.of("next", "Zm9v")), null).getStatusCode())
                .isEqualTo(400);
        assertThat(api.handleRequest(list(study, Map.of("next", "%%%")), null).getStatusCode())
                .isEqualTo(400);
    }

    /** Follows {@code next} from the first page to the last; returns the alert ids in order. */
    private List<String> walk(String status, int limit) throws Exception {
        List<String> ids = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String next = null;
        do {
            Map<String, String> query = new HashMap<>();
            query.put("limit", Integer.toString(limit));
            if (status != null) {
                query.put("status", status);
            }
            if (next != null) {
                query.put("next", next);
            }
            APIGatewayV2HTTPResponse response = api.handleRequest(list(study, query), null);
            assertThat(response.getStatusCode()).isEqualTo(200);
            JsonNode page = Json.mapper().readTree(response.getBody());
            assertThat(page.get("items").size()).isLessThanOrEqualTo(limit);
            page.get("items").forEach(a -> ids.add(a.get("alertId").asText()));
            next = page.hasNonNull("next") ? page.get("next").asText() : null;
            assertThat(next == null || tokens.add(next))
                    .as("a new token each page")
                    .isTrue();
        } while (next != null);
        return ids;
    }

    /** Raises one URGENT alert a report (PHQ-9 item 9 above 0) through the alert handler, one second apart. */
    private List<String> raiseUrgentAlerts(int count) {
        AlertConfig config = AlertConfig.fromEnv(stack.env("AlertFunction"));
        QueueDriver queue = new QueueDriver(stack, "AlertQueue");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AlertHandler handler = new AlertHandler(AlertWiring.builder(config, stack.clientsFor("AlertFunction"))
                    .clock(Clock.fixed(RAISED.plusSeconds(i), ZoneOffset.UTC))
                    .build());
            Report report =
                    SampleReports.of("phq-9").study(study).answer("44260-8", 1).build();
            stack.clients()
                    .dynamo()
                    .putItem(b -> b.tableName(stack.ref("ReportsTable")).item(ReportItems.toItem(report)));
            queue.send(ReportMessage.CODEC.encode(new ReportMessage(report.reportId(), 1, study)));
            assertThat(handler.handleRequest(
                                    queue.event(queue.receive(1)),
                                    EmulatedLambdaContext.withRemaining("AlertFunction", 30_000))
                            .getBatchItemFailures())
                    .isEmpty();
            ids.add(AlertRecord.alertId(report.reportId(), "phq9-item9-self-harm"));
        }
        return ids;
    }

    private static APIGatewayV2HTTPEvent ack(String alertId, String sub, String studies) {
        return StaffRequests.request(
                "alert-ack.json", "/v1/alerts/" + alertId + "/ack", Map.of("alertId", alertId), null, sub, studies);
    }

    private static APIGatewayV2HTTPEvent get(String alertId, String studies) {
        return StaffRequests.request(
                "alert-get.json", "/v1/alerts/" + alertId, Map.of("alertId", alertId), null, NURSE, studies);
    }

    private APIGatewayV2HTTPEvent list(String studyId, Map<String, String> query) {
        return StaffRequests.request(
                "alert-list.json",
                "/v1/studies/" + studyId + "/alerts",
                Map.of("studyId", studyId),
                query,
                NURSE,
                "[STUDY-001 " + study + "]");
    }

    private Map<String, AttributeValue> alertItem(String alertId) {
        return stack.clients()
                .dynamo()
                .getItem(b -> b.tableName(stack.ref("AlertsTable"))
                        .consistentRead(true)
                        .key(Map.of("pk", AttributeValue.fromS("AL#" + alertId), "sk", AttributeValue.fromS("ALERT"))))
                .item();
    }

    private List<Map<String, AttributeValue>> auditOf(String alertId) {
        return stack.clients()
                .dynamo()
                .query(b -> b.tableName(stack.ref("AuditTable"))
                        .indexName("by-entity")
                        .keyConditionExpression("entityPk = :e")
                        .expressionAttributeValues(
                                Map.of(":e", AttributeValue.fromS(AuditEvent.entityKey(EntityType.ALERT, alertId)))))
                .items();
    }
}
