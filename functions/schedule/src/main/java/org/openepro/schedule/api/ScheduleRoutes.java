package org.openepro.schedule.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.json.Json;
import org.openepro.core.schedule.Enrollment;
import org.openepro.schedule.store.ScheduleStore;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The schedule API's routes: each reads its request, calls one service and answers. */
public final class ScheduleRoutes {
    public static final String PUT_PROTOCOL = "PUT /v1/studies/{studyId}/protocol";
    public static final String PUT_SUBJECT = "PUT /v1/studies/{studyId}/subjects/{subjectId}";
    public static final String GET_TASKS = "GET /v1/tasks";
    public static final String GET_COMPLIANCE = "GET /v1/studies/{studyId}/compliance";

    private final ProtocolService protocols;
    private final EnrollmentService enrollments;
    private final TaskService tasks;
    private final ComplianceService compliance;

    public ScheduleRoutes(
            ProtocolService protocols, EnrollmentService enrollments, TaskService tasks, ComplianceService compliance) {
        this.protocols = protocols;
        this.enrollments = enrollments;
        this.tasks = tasks;
        this.compliance = compliance;
    }

    public APIGatewayV2HTTPResponse putProtocol(ApiRequest request) {
        String studyId = Requests.pathId(request, "studyId");
        ProtocolService.Outcome outcome = protocols.put(request.caller(), studyId, Requests.jsonBody(request));
        Map<String, AttributeValue> item = outcome.item();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("studyId", studyId);
        body.put("version", outcome.version());
        body.put("effectiveFrom", item.get(ScheduleStore.EFFECTIVE_FROM).s());
        body.put("createdAt", item.get(ScheduleStore.CREATED_AT).s());
        try {
            body.set(
                    "protocol",
                    Json.mapper().readTree(item.get(ScheduleStore.DOCUMENT).s()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored protocol version is not JSON", e);
        }
        return ApiResponses.json(
                outcome.created() ? 201 : 200,
                body.toString(),
                Map.of("location", "/v1/studies/" + studyId + "/protocol"));
    }

    public APIGatewayV2HTTPResponse putSubject(ApiRequest request) {
        String studyId = Requests.pathId(request, "studyId");
        String subjectId = Requests.pathId(request, "subjectId");
        EnrollmentService.Outcome outcome =
                enrollments.put(request.caller(), studyId, subjectId, Requests.jsonBody(request));
        Enrollment e = outcome.enrollment();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("studyId", studyId);
        body.put("subjectId", subjectId);
        body.put("siteId", e.subject().siteId());
        body.put("enrolledOn", e.enrolledOn().toString());
        body.put("timeZone", e.zone().getId());
        body.put("status", e.status().code());
        if (e.statusReason() != null) {
            body.put("reason", e.statusReason());
        }
        ObjectNode occ = body.putObject("occurrences");
        occ.put("created", outcome.occurrences().created());
        occ.put("moved", outcome.occurrences().replaced());
        occ.put("cancelled", outcome.occurrences().cancelled());
        return ApiResponses.json(outcome.created() ? 201 : 200, body.toString(), Map.of());
    }

    public APIGatewayV2HTTPResponse getTasks(ApiRequest request) {
        return ApiResponses.response(
                200, ApiResponses.FHIR_JSON, tasks.tasks(request.caller()).toString(), Map.of());
    }

    public APIGatewayV2HTTPResponse getCompliance(ApiRequest request) {
        String studyId = Requests.pathId(request, "studyId");
        ObjectNode report = compliance.report(request.caller(), studyId, request);
        return ApiResponses.json(200, report.toString(), Map.of());
    }
}
