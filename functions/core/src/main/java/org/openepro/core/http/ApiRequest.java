package org.openepro.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Read access to an API Gateway HTTP API (payload 2.0) request, with the limits the API promises. */
public final class ApiRequest {
    private final APIGatewayV2HTTPEvent event;

    public ApiRequest(APIGatewayV2HTTPEvent event) {
        this.event = event;
    }

    public String routeKey() {
        String key = event.getRouteKey();
        return key == null ? "" : key;
    }

    public String method() {
        var http = event.getRequestContext() == null
                ? null
                : event.getRequestContext().getHttp();
        return http == null || http.getMethod() == null ? "" : http.getMethod().toUpperCase(Locale.ROOT);
    }

    public String path() {
        String raw = event.getRawPath();
        return raw == null ? "" : raw;
    }

    public String requestId() {
        var ctx = event.getRequestContext();
        return ctx == null || ctx.getRequestId() == null ? "" : ctx.getRequestId();
    }

    /**
     * The full URL the client reached, as a FHIR Bulk Data manifest records it: API Gateway's own
     * domain name (the Host header only when it names that domain, adding a port, as the local API's
     * does), the scheme it was reached by, and the raw path and query. The path alone when the event
     * names no domain.
     */
    public String url() {
        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        String domain = ctx == null ? null : ctx.getDomainName();
        if (domain == null || domain.isBlank()) {
            return path();
        }
        String host = header("host").orElse(null);
        String authority = host != null && host.matches(Pattern.quote(domain) + "(:\\d{1,5})?") ? host : domain;
        String scheme = header("x-forwarded-proto").filter("http"::equals).orElse("https");
        String query =
                event.getRawQueryString() == null || event.getRawQueryString().isEmpty()
                        ? ""
                        : "?" + event.getRawQueryString();
        return scheme + "://" + authority + path() + query;
    }

    /** Header lookup ignoring case (API Gateway lowercases names; other callers may not). */
    public Optional<String> header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return Optional.empty();
        }
        String direct = headers.get(name.toLowerCase(Locale.ROOT));
        if (direct != null) {
            return Optional.of(direct);
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                return Optional.ofNullable(e.getValue());
            }
        }
        return Optional.empty();
    }

    public Optional<String> pathParameter(String name) {
        Map<String, String> p = event.getPathParameters();
        return p == null ? Optional.empty() : Optional.ofNullable(p.get(name));
    }

    public Optional<String> queryParameter(String name) {
        Map<String, String> q = event.getQueryStringParameters();
        return q == null ? Optional.empty() : Optional.ofNullable(q.get(name));
    }

    /** The body's bytes; 413 above {@code maxBytes}, 400 when the base64 encoding is broken. */
    public byte[] body(int maxBytes) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        if (event.getIsBase64Encoded()) {
            // base64 is 4/3 the size of what it carries: refuse before decoding a huge string
            if ((long) body.length() * 3 / 4 > (long) maxBytes + 3) {
                throw tooLarge(maxBytes);
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw ApiException.of(ProblemType.MALFORMED_REQUEST, "The body is not valid base64.");
            }
            if (decoded.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return decoded;
        }
        // UTF-8 needs at least one byte a char: a longer string is certainly too large
        if (body.length() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return bytes;
    }

    /** 415 unless the media type (parameters aside) is one of {@code accepted}. */
    public void requireContentType(List<String> accepted) {
        String value = header("content-type").orElse("");
        String mediaType = value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!accepted.contains(mediaType)) {
            throw ApiException.of(
                    ProblemType.UNSUPPORTED_MEDIA_TYPE, "Send the body as one of " + String.join(", ", accepted) + ".");
        }
        int charset = value.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (charset >= 0) {
            String cs = value.substring(charset + 8).split(";", 2)[0].trim().replace("\"", "");
            if (!cs.equalsIgnoreCase("utf-8")) {
                throw ApiException.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Only UTF-8 bodies are accepted.");
            }
        }
    }

    /** The verified caller; 401 when the request carries no authorizer context at all. */
    public Caller caller() {
        var ctx = event.getRequestContext();
        var authorizer = ctx == null ? null : ctx.getAuthorizer();
        var jwt = authorizer == null ? null : authorizer.getJwt();
        if (jwt == null || jwt.getClaims() == null || jwt.getClaims().isEmpty()) {
            throw ApiException.of(ProblemType.UNAUTHENTICATED, "A bearer token is required.");
        }
        return Caller.fromClaims(jwt.getClaims(), jwt.getScopes());
    }

    private static ApiException tooLarge(int maxBytes) {
        return ApiException.of(ProblemType.PAYLOAD_TOO_LARGE, "The body exceeds " + (maxBytes / 1024) + " KiB.");
    }
}
