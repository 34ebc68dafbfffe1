package org.openepro.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates between HTTP and API Gateway HTTP API payload format 2.0: a request into the
 * {@link APIGatewayV2HTTPEvent} a handler receives, and the handler's response back to HTTP.
 */
public final class HttpEvents {
    public static final String ACCOUNT_ID = "123456789012";
    public static final String API_ID = "local";
    public static final String STAGE = "$default";
    // a plain mapper: a function's response may be megabytes of body, past the limits Json sets for client input
    private static final ObjectMapper RESPONSE = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern(
                    "dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private HttpEvents() {}

    /** An HTTP request as it arrived: header names as sent, each header's values in order. */
    public record RawRequest(
            String method,
            String rawPath,
            String rawQuery,
            Map<String, List<String>> headers,
            byte[] body,
            String sourceIp,
            String protocol) {
        /** All values of a header, whatever the case of its name. */
        public List<String> header(String name) {
            List<String> values = new ArrayList<>();
            headers.forEach((k, v) -> {
                if (k.equalsIgnoreCase(name)) {
                    values.addAll(v);
                }
            });
            return values;
        }

        public String firstHeader(String name) {
            List<String> values = header(name);
            return values.isEmpty() ? null : values.get(0);
        }
    }

    /** What goes back over HTTP: a status, headers (Set-Cookie may repeat) and the body's bytes. */
    public record Reply(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        public static Reply json(int status, String json) {
            return new Reply(
                    status,
                    List.of(Map.entry("content-type", "application/json")),
                    json.getBytes(StandardCharsets.UTF_8));
        }

        public Reply withHeader(String name, String value) {
            List<Map.Entry<String, String>> all = new ArrayList<>(headers);
            all.add(Map.entry(name, value));
            return new Reply(status, all, body);
        }
    }

    /** The payload 2.0 event for a request that matched {@code match} and passed the authorizer. */
    public static APIGatewayV2HTTPEvent toEvent(
            RawRequest request, RouteTable.Match match, JwtAuthorizer.Allowed auth, String requestId, Instant now) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        request.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                for (String value : values) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.strip());
                        }
                    }
                }
                return;
            }
            headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
        });
        headers.putIfAbsent("x-forwarded-for", request.sourceIp());
        headers.putIfAbsent("x-forwarded-proto", "http");

        String host = request.firstHeader("host");
        String domainName = host == null || host.isBlank() ? "127.0.0.1" : host.replaceFirst(":\\d+$", "");
        String rawQuery = request.rawQuery() == null ? "" : request.rawQuery();

        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(request.method().toUpperCase(Locale.ROOT))
                .withPath(request.rawPath())
                .withProtocol(request.protocol())
                .withSourceIp(request.sourceIp())
                .withUserAgent(headers.getOrDefault("user-agent", ""))
                .build();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = null;
        if (auth != null) {
            authorizer = APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT
                            .builder()
                            .withClaims(auth.claims())
                            .withScopes(auth.scopes())
                            .build())
                    .build();
        }
        String routeKey = match.route().routeKey();
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId(ACCOUNT_ID)
                .withApiId(API_ID)
                .withDomainName(domainName)
                .withDomainPrefix(domainName.split("\\.", 2)[0])
                .withHttp(http)
                .withAuthorizer(authorizer)
                .withRequestId(requestId)
                .withRouteKey(routeKey)
                .withStage(STAGE)
                .withTime(REQUEST_TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .build();

        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(request.rawPath())
                .withRawQueryString(rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(queryParameters(rawQuery))
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withRequestContext(context)
                .withIsBase64Encoded(false)
                .build();
        byte[] body = request.body();
        if (body != null && body.length > 0) {
            String contentType = request.firstHeader("content-type");
            String text = isText(contentType) ? utf8(body) : null;
            if (text != null) {
                event.setBody(text);
            } else {
                event.setBody(Base64.getEncoder().encodeToString(body));
                event.setIsBase64Encoded(true);
            }
        }
        return event;
    }

    /** Query parameters decoded, a repeated name's values joined with commas; null when there are none. */
    static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = formDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1));
            params.merge(name, value, (a, b) -> a + "," + b);
        }
        return params.isEmpty() ? null : params;
    }

    private static String formDecode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    /** API Gateway passes text media types as text and everything else base64-encoded. */
    static boolean isText(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.startsWith("text/")
                || type.endsWith("+json")
                || type.endsWith("+xml")
                || type.equals("application/json")
                || type.equals("application/xml")
                || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded");
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    /**
     * A function's response as API Gateway returns it for payload format 2.0: an object with a
     * {@code statusCode} gives the status (200 when zero), headers, each cookie as its own
     * Set-Cookie and the body (base64-decoded when flagged); any other JSON is a 200 JSON body, as
     * API Gateway infers; a payload that is not JSON at all is a 500.
     */
    public static Reply toReply(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return new Reply(200, List.of(), new byte[0]);
        }
        JsonNode response;
        try {
            response = RESPONSE.readTree(payload);
        } catch (IOException notJson) {
            return Reply.json(500, "{\"message\":\"Internal Server Error\"}");
        }
        if (response == null || response.isNull()) {
            return new Reply(200, List.of(), new byte[0]);
        }
        if (!response.isObject() || !response.has("statusCode")) {
            return new Reply(200, List.of(Map.entry("content-type", "application/json")), payload);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        response.path("headers").properties().forEach(h -> {
            if (!h.getValue().isNull()) {
                headers.add(Map.entry(
                        h.getKey().toLowerCase(Locale.ROOT), h.getValue().asText()));
            }
        });
        for (JsonNode cookie : response.path("cookies")) {
            headers.add(Map.entry("set-cookie", cookie.asText()));
        }
        JsonNode body = response.get("body");
        boolean base64 = response.path("isBase64Encoded").asBoolean(false);
        byte[] bytes = body == null || body.isNull()
                ? new byte[0]
                : base64
                        ? Base64.getDecoder().decode(body.asText())
                        : body.asText().getBytes(StandardCharsets.UTF_8);
        int status = response.path("statusCode").asInt(0);
        return new Reply(status == 0 ? 200 : status, headers, bytes);
    }
}
