package org.openepro.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.openepro.core.id.Participant;
import org.openepro.core.id.SiteId;
import org.openepro.core.id.StudyId;
import org.openepro.core.id.SubjectId;
import org.openepro.core.json.Json;
import org.openepro.emulator.SampleEvents;

/** Builds real-shape API events from the samples in events/, for a fresh participant per test. */
final class TestRequests {
    private TestRequests() {}

    static Participant newPatient() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        return Participant.of(StudyId.of("STUDY-" + suffix), SiteId.of("SITE-01"), SubjectId.of("SUBJ-" + suffix));
    }

    /** The sample event, re-addressed to {@code patient} with a fresh idempotency key. */
    static APIGatewayV2HTTPEvent sample(String file, Participant patient) {
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi(file);
        as(event, patient);
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        if (headers.containsKey("idempotency-key")) {
            headers.put("idempotency-key", UUID.randomUUID().toString());
        }
        event.setHeaders(headers);
        if (event.getBody() != null
                && event.getBody().startsWith("{\"resourceType\"")
                && event.getBody().endsWith("}")) {
            ObjectNode body = (ObjectNode) json(event.getBody());
            if (body.has("subject")) {
                body.putObject("subject").put("reference", "Patient/" + patient.subjectId());
            }
            event.setBody(body.toString());
        }
        return event;
    }

    static APIGatewayV2HTTPEvent as(APIGatewayV2HTTPEvent event, Participant patient) {
        Map<String, String> claims =
                new HashMap<>(event.getRequestContext().getAuthorizer().getJwt().getClaims());
        claims.put("study_id", patient.studyId());
        claims.put("site_id", patient.siteId());
        claims.put("subject_id", patient.subjectId());
        claims.put("sub", UUID.randomUUID().toString());
        event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        return event;
    }

    static APIGatewayV2HTTPEvent route(
            APIGatewayV2HTTPEvent event,
            String method,
            String path,
            String routeKey,
            Map<String, String> pathParameters) {
        event.setRouteKey(routeKey);
        event.setRawPath(path);
        event.getRequestContext().setRouteKey(routeKey);
        event.getRequestContext().getHttp().setMethod(method);
        event.getRequestContext().getHttp().setPath(path);
        event.setPathParameters(pathParameters);
        event.setBody(null);
        return event;
    }

    static APIGatewayV2HTTPEvent header(APIGatewayV2HTTPEvent event, String name, String value) {
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
        event.setHeaders(headers);
        return event;
    }

    static ObjectNode body(APIGatewayV2HTTPEvent event) {
        return (ObjectNode) json(event.getBody());
    }

    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(APIGatewayV2HTTPResponse response) {
        return json(response.getBody());
    }

    static List<String> errorCodes(APIGatewayV2HTTPResponse response) {
        return json(response).path("errors").findValuesAsText("code");
    }
}
