package org.openepro.export;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.json.Json;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;
import org.openepro.export.job.ExportJob;

/** Export routes (scope {@code epro/export}): request an export of a study, then fetch its status and link. */
final class ExportRoutes {
    private static final ObjectWriter WRITER = Json.writer(ObjectNode.class);

    private final ExportRequests requests;
    private final Metrics metrics;

    ExportRoutes(ExportRequests requests, Metrics metrics) {
        this.requests = requests;
        this.metrics = metrics;
    }

    /** {@code POST /v1/studies/{studyId}/exports}: 202 and the QUEUED job. */
    APIGatewayV2HTTPResponse request(ApiRequest request) throws JsonProcessingException {
        String studyId = request.pathParameter("studyId").orElse("");
        request.requireContentType(List.of(ApiResponses.JSON));
        ExportJob job =
                requests.request(request.caller(), studyId, request.body(ExportRequests.MAX_BODY_BYTES), request.url());
        metrics.count(Metric.EXPORTS_REQUESTED, 1);
        return ApiResponses.json(
                202,
                WRITER.writeValueAsString(ExportRequests.view(job)),
                Map.of("location", ExportObjects.apiPath(job.exportId())));
    }

    /** {@code GET /v1/exports/{exportId}}: the job, with a fresh audited link once it succeeded. */
    APIGatewayV2HTTPResponse status(ApiRequest request) throws JsonProcessingException {
        ObjectNode status = requests.status(
                request.caller(), request.pathParameter("exportId").orElse(""));
        if (status.has("download")) {
            metrics.count(Metric.EXPORT_LINKS_ISSUED, 1);
        }
        return ApiResponses.json(200, WRITER.writeValueAsString(status), Map.of());
    }
}
