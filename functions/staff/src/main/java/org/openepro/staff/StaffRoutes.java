package org.openepro.staff;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.Map;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.json.Json;

/**
 * The staff read routes behind the console, scope {@code epro/alerts}, for staff assigned to the study:
 * a report with its versions, a subject's timeline, the subject roster and the audit trail; and the
 * console's sign-in settings ({@code GET /v1/console/config}, unauthenticated).
 */
final class StaffRoutes {
    static final String CONFIG_ROUTE = "GET /v1/console/config";
    static final String REPORT_ROUTE = "GET /v1/studies/{studyId}/reports/{reportId}";
    static final String TIMELINE_ROUTE = "GET /v1/studies/{studyId}/subjects/{subjectId}/timeline";
    static final String SUBJECTS_ROUTE = "GET /v1/studies/{studyId}/subjects";
    static final String AUDIT_ROUTE = "GET /v1/studies/{studyId}/audit";

    private static final ObjectWriter REPORT_WRITER = Json.writer(ReportView.class);
    private static final ObjectWriter TIMELINE_WRITER = Json.writer(SubjectViews.Timeline.class);
    private static final ObjectWriter ROSTER_WRITER = Json.writer(SubjectViews.Roster.class);
    private static final ObjectWriter AUDIT_WRITER = Json.writer(AuditTrail.Page.class);
    private static final ObjectWriter CONFIG_WRITER = Json.writer(ConsoleSettings.class);

    private final StaffApiWiring wiring;

    StaffRoutes(StaffApiWiring wiring) {
        this.wiring = wiring;
    }

    APIGatewayV2HTTPResponse config(ApiRequest request) throws JsonProcessingException {
        return ok(CONFIG_WRITER, wiring.console().servedFrom(StaffQuery.origin(request)));
    }

    APIGatewayV2HTTPResponse report(ApiRequest request) throws JsonProcessingException {
        return ok(
                REPORT_WRITER,
                wiring.reports().read(request.caller(), StaffQuery.studyId(request), StaffQuery.reportId(request)));
    }

    APIGatewayV2HTTPResponse timeline(ApiRequest request) throws JsonProcessingException {
        StaffQuery.Timeline q = StaffQuery.timeline(request);
        return ok(
                TIMELINE_WRITER,
                wiring.subjects()
                        .timeline(
                                request.caller(),
                                q.studyId(),
                                q.subjectId(),
                                q.questionnaireId(),
                                q.limit(),
                                q.before()));
    }

    APIGatewayV2HTTPResponse subjects(ApiRequest request) throws JsonProcessingException {
        StaffQuery.Subjects q = StaffQuery.subjects(request);
        return ok(
                ROSTER_WRITER,
                wiring.subjects().roster(request.caller(), q.studyId(), q.siteId(), q.limit(), q.after()));
    }

    APIGatewayV2HTTPResponse audit(ApiRequest request) throws JsonProcessingException {
        return ok(
                AUDIT_WRITER,
                wiring.auditTrail().page(request.caller(), StaffQuery.studyId(request), StaffQuery.audit(request)));
    }

    private static APIGatewayV2HTTPResponse ok(ObjectWriter writer, Object value) throws JsonProcessingException {
        return ApiResponses.json(200, writer.writeValueAsString(value), Map.of());
    }
}
