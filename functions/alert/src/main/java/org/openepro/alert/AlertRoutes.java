package org.openepro.alert;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.openepro.core.http.ApiException;
import org.openepro.core.http.ApiRequest;
import org.openepro.core.http.ApiResponses;
import org.openepro.core.http.Caller;
import org.openepro.core.http.Problem;
import org.openepro.core.http.ProblemType;
import org.openepro.core.json.Json;

/**
 * Staff alert routes, scope {@code epro/alerts}: {@code GET /v1/alerts/{alertId}} (where an alert
 * message's link points), {@code POST /v1/alerts/{alertId}/ack} and
 * {@code GET /v1/studies/{studyId}/alerts} ({@code ?status=OPEN|ACKNOWLEDGED&limit=1..100&next=...}).
 */
final class AlertRoutes {
    static final int DEFAULT_LIMIT = 25;
    static final int MAX_LIMIT = 100;
    static final int MAX_NOTE = 500;

    private static final ObjectWriter ALERT_WRITER = Json.writer(AlertView.class);
    private static final ObjectWriter PAGE_WRITER = Json.writer(AlertView.Page.class);
    private static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern CURSOR =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z#" + UUID_PATTERN.pattern());

    private final AlertInbox inbox;

    AlertRoutes(AlertInbox inbox) {
        this.inbox = inbox;
    }

    APIGatewayV2HTTPResponse get(ApiRequest request) throws JsonProcessingException {
        AlertRecord alert = inbox.get(request.caller(), alertId(request));
        return ApiResponses.json(200, ALERT_WRITER.writeValueAsString(AlertView.of(alert)), Map.of());
    }

    APIGatewayV2HTTPResponse acknowledge(ApiRequest request) throws JsonProcessingException {
        Caller caller = request.caller();
        String alertId = alertId(request);
        AlertRecord alert = inbox.acknowledge(caller, alertId, note(request));
        return ApiResponses.json(200, ALERT_WRITER.writeValueAsString(AlertView.of(alert)), Map.of());
    }

    /** The optional {@code {"note": "..."}} body of an acknowledgement: at most {@value #MAX_NOTE} characters. */
    static String note(ApiRequest request) {
        byte[] body = request.body(4096);
        if (body.length == 0) {
            return null;
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw ApiException.of(ProblemType.MALFORMED_REQUEST, "The body is not JSON.");
        }
        if (root == null || root.isNull() || (root.isObject() && root.isEmpty())) {
            return null;
        }
        JsonNode note = root.get("note");
        if (!root.isObject() || root.size() != 1 || note == null || !(note.isTextual() || note.isNull())) {
            throw new ApiException(Problem.of(
                    ProblemType.INVALID_PARAMETERS,
                    "The body may only carry a note.",
                    List.of(Problem.FieldError.at("/note", "invalid", "note must be a string."))));
        }
        String text = note.isNull() ? "" : note.asText().strip();
        if (text.length() > MAX_NOTE) {
            throw new ApiException(Problem.of(
                    ProblemType.INVALID_PARAMETERS,
                    "The note is too long.",
                    List.of(Problem.FieldError.at(
                            "/note", "too-long", "note must be at most " + MAX_NOTE + " characters."))));
        }
        return text.isEmpty() ? null : text;
    }

    APIGatewayV2HTTPResponse list(ApiRequest request) throws JsonProcessingException {
        String studyId = request.pathParameter("studyId").orElse("");
        Optional<AlertStatus> status = request.queryParameter("status").map(AlertRoutes::status);
        int limit = request.queryParameter("limit").map(AlertRoutes::limit).orElse(DEFAULT_LIMIT);
        Optional<String> after = request.queryParameter("next").map(AlertRoutes::decodeCursor);
        AlertStore.Page page = inbox.list(request.caller(), studyId, status, limit, after);
        AlertView.Page view = new AlertView.Page(
                page.alerts().stream().map(AlertView::of).toList(),
                page.nextStudySk().map(AlertRoutes::encodeCursor).orElse(null));
        return ApiResponses.json(200, PAGE_WRITER.writeValueAsString(view), Map.of());
    }

    /** Alert ids are UUIDs: anything else is no alert, answered before a read. */
    private static String alertId(ApiRequest request) {
        return request.pathParameter("alertId")
                .filter(id -> UUID_PATTERN.matcher(id).matches())
                .orElseThrow(() -> ApiException.of(ProblemType.NOT_FOUND, "No such alert."));
    }

    private static AlertStatus status(String value) {
        try {
            return AlertStatus.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.of(ProblemType.INVALID_PARAMETERS, "status must be OPEN or ACKNOWLEDGED.");
        }
    }

    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.of(ProblemType.INVALID_PARAMETERS, "limit must be an integer from 1 to " + MAX_LIMIT + ".");
    }

    /** The page cursor travels base64url-encoded: clients pass it back untouched. */
    static String encodeCursor(String studySk) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(studySk.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String token) {
        try {
            String studySk = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (CURSOR.matcher(studySk).matches()) {
                return studySk;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiException.of(ProblemType.INVALID_PARAMETERS, "next is not a token this API issued.");
    }
}
