package org.openepro.schedule;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openepro.core.json.Json;
import org.openepro.emulator.SampleEvents;

/** The schedule API's sample events from events/, re-addressed to a test's study and callers. */
public final class ApiCalls {
    private final ScheduleApiHandler handler;
    private final String study;

    public ApiCalls(ScheduleApiHandler handler, String study) {
        this.handler = handler;
        this.study = study;
    }

    public static Map<String, String> designer(String study) {
        return Map.of("studies", "[" + study + "]", "roles", "[study-designer]", "scope", "epro/admin");
    }

    public static Map<String, String> coordinator(String study, String site) {
        return Map.of(
                "studies",
                "[" + study + "]",
                "roles",
                "[site-coordinator]",
                "sites",
                "[" + site + "]",
                "scope",
                "epro/admin");
    }

    public static Map<String, String> nurse(String study) {
        return Map.of("studies", "[" + study + "]", "roles", "[research-nurse]", "scope", "epro/alerts");
    }

    public static Map<String, String> patient(String study, String site, String subject) {
        return Map.of("study_id", study, "site_id", site, "subject_id", subject, "scope", "epro/report.write");
    }

    public APIGatewayV2HTTPResponse putProtocol(String document, Map<String, String> caller) {
        APIGatewayV2HTTPEvent e = event("schedule-put-protocol.json", caller);
        e.setRawPath("/v1/studies/" + study + "/protocol");
        e.setPathParameters(Map.of("studyId", study));
        e.setBody(document);
        return handler.handleRequest(e, null);
    }

    public APIGatewayV2HTTPResponse putSubject(String subject, String body, Map<String, String> caller) {
        APIGatewayV2HTTPEvent e = event("schedule-put-subject.json", caller);
        e.setRawPath("/v1/studies/" + study + "/subjects/" + subject);
        e.setPathParameters(Map.of("studyId", study, "subjectId", subject));
        e.setBody(body);
        return handler.handleRequest(e, null);
    }

    public APIGatewayV2HTTPResponse tasks(String site, String subject) {
        return handler.handleRequest(event("schedule-list-tasks.json", patient(study, site, subject)), null);
    }

    public APIGatewayV2HTTPResponse compliance(Map<String, String> query, Map<String, String> caller) {
        APIGatewayV2HTTPEvent e = event("schedule-compliance.json", caller);
        e.setRawPath("/v1/studies/" + study + "/compliance");
        e.setPathParameters(Map.of("studyId", study));
        e.setQueryStringParameters(query);
        return handler.handleRequest(e, null);
    }

    private static APIGatewayV2HTTPEvent event(String file, Map<String, String> caller) {
        return asCaller(SampleEvents.httpApi(file), caller);
    }

    /** A sample event re-addressed to a caller (one of the claim sets above): what its token would carry. */
    public static APIGatewayV2HTTPEvent asCaller(APIGatewayV2HTTPEvent e, Map<String, String> caller) {
        Map<String, String> claims =
                new HashMap<>(e.getRequestContext().getAuthorizer().getJwt().getClaims());
        for (String k : List.of("studies", "roles", "sites", "study_id", "site_id", "subject_id")) {
            claims.remove(k);
        }
        claims.putAll(caller);
        e.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
        e.getRequestContext().getAuthorizer().getJwt().setScopes(List.of(caller.get("scope")));
        return e;
    }

    public static JsonNode json(APIGatewayV2HTTPResponse r) {
        return json(r.getBody());
    }

    public static JsonNode json(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String enrollment(String site, String enrolledOn, String zone, String status, String reason) {
        StringBuilder b = new StringBuilder("{\"siteId\":\"" + site + "\",\"enrolledOn\":\"" + enrolledOn + "\"");
        if (zone != null) {
            b.append(",\"timeZone\":\"").append(zone).append('"');
        }
        if (status != null) {
            b.append(",\"status\":\"").append(status).append('"');
        }
        if (reason != null) {
            b.append(",\"reason\":\"").append(reason).append('"');
        }
        return b.append('}').toString();
    }
}
