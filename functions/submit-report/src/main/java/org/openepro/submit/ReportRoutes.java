package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.Caller;
import org.openepro.core.http.ProblemType;
import org.openepro.core.id.Participant;
import org.openepro.core.json.Json;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;

/** The patient's report routes: {@code POST /v1/reports} and {@code GET /v1/reports/{reportId}}. */
final class ReportRoutes {
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final List<String> MEDIA_TYPES = List.of(ApiResponses.FHIR_JSON, ApiResponses.JSON);
    private static final ObjectWriter RECEIPT = Json.writer(Receipt.class);

    private final SubmissionService submissions;
    private final SubmissionStore store;
    private final Metrics metrics;

    ReportRoutes(SubmissionService submissions, SubmissionStore store, Metrics metrics) {
        this.submissions = submissions;
        this.store = store;
        this.metrics = metrics;
    }

    APIGatewayV2HTTPResponse submit(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireScope(Caller.SCOPE_REPORT_WRITE);
        request.requireContentType(MEDIA_TYPES);
        byte[] body = request.body(MAX_BODY_BYTES);
        SubmissionService.Outcome outcome = submissions.submit(
                caller, body, request.header("idempotency-key"), request.header("x-amendment-reason"));
        Map<String, String> headers = new HashMap<>(4);
        headers.put("location", outcome.location());
        if (outcome.replayed()) {
            headers.put("idempotent-replayed", "true");
            metrics.count(Metric.REPLAYED, 1);
        } else {
            metrics.count(Metric.SUBMITTED, 1);
            metrics.count(Metric.ENQUEUED, outcome.deliveryPending() ? 0 : DeliveryTarget.values().length);
        }
        if (outcome.deliveryPending()) {
            metrics.count(Metric.DELIVERY_DEFERRED, 1);
        }
        return ApiResponses.json(201, outcome.receiptJson(), headers);
    }

    APIGatewayV2HTTPResponse report(ApiRequest request) throws JsonProcessingException {
        Participant patient = request.caller().patient();
        String reportId = request.pathParameter("reportId")
                .filter(ResponseValidator::isUuid)
                .orElseThrow(ReportRoutes::notYours);
        var report = store.latest(reportId)
                .filter(r ->
                        r.studyId().equals(patient.studyId()) && r.subjectId().equals(patient.subjectId()))
                .orElseThrow(ReportRoutes::notYours);
        return ApiResponses.json(200, RECEIPT.writeValueAsString(Receipt.of(report)), Map.of());
    }

    private static ApiException notYours() {
        return ApiException.of(ProblemType.NOT_FOUND, "No report of yours has this id.");
    }
}
