package org.openepro.bench.variant;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * A measured variant, not deployed: API Gateway's HTTP API event (payload format 2.0) and the
 * function's response, read and written with the Jackson the function already loaded for its bodies,
 * so a {@code RequestStreamHandler} never starts the runtime client's own event serializer (a second,
 * shaded Jackson and reflection over the events classes; measured in bench/README.md). It reads every field API Gateway sends for a JWT- or Lambda-authorized route,
 * as the runtime's serializer fills them; an IAM authorizer's identity is not read (the template
 * uses none), and a field not in the 2.0 format is skipped.
 */
final class HttpApiEventCodec {
    private HttpApiEventCodec() {}

    static APIGatewayV2HTTPEvent read(InputStream in) throws IOException {
        try (JsonParser p = EventJson.FACTORY.createParser(in)) {
            p.nextToken();
            APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
            if (!EventJson.object(p)) {
                return event;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "version" -> event.setVersion(EventJson.text(p));
                    case "routeKey" -> event.setRouteKey(EventJson.text(p));
                    case "rawPath" -> event.setRawPath(EventJson.text(p));
                    case "rawQueryString" -> event.setRawQueryString(EventJson.text(p));
                    case "cookies" -> event.setCookies(EventJson.stringList(p));
                    case "headers" -> event.setHeaders(EventJson.stringMap(p));
                    case "queryStringParameters" -> event.setQueryStringParameters(EventJson.stringMap(p));
                    case "pathParameters" -> event.setPathParameters(EventJson.stringMap(p));
                    case "stageVariables" -> event.setStageVariables(EventJson.stringMap(p));
                    case "body" -> event.setBody(EventJson.text(p));
                    case "isBase64Encoded" -> event.setIsBase64Encoded(EventJson.bool(p));
                    case "requestContext" -> event.setRequestContext(requestContext(p));
                    default -> p.skipChildren();
                }
            }
            return event;
        }
    }

    private static APIGatewayV2HTTPEvent.RequestContext requestContext(JsonParser p) throws IOException {
        if (!EventJson.object(p)) {
            return null;
        }
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "routeKey" -> context.setRouteKey(EventJson.text(p));
                case "accountId" -> context.setAccountId(EventJson.text(p));
                case "stage" -> context.setStage(EventJson.text(p));
                case "apiId" -> context.setApiId(EventJson.text(p));
                case "domainName" -> context.setDomainName(EventJson.text(p));
                case "domainPrefix" -> context.setDomainPrefix(EventJson.text(p));
                case "time" -> context.setTime(EventJson.text(p));
                case "timeEpoch" -> context.setTimeEpoch(EventJson.number(p));
                case "requestId" -> context.setRequestId(EventJson.text(p));
                case "http" -> context.setHttp(http(p));
                case "authorizer" -> context.setAuthorizer(authorizer(p));
                default -> p.skipChildren();
            }
        }
        return context;
    }

    private static APIGatewayV2HTTPEvent.RequestContext.Http http(JsonParser p) throws IOException {
        if (!EventJson.object(p)) {
            return null;
        }
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "method" -> http.setMethod(EventJson.text(p));
                case "path" -> http.setPath(EventJson.text(p));
                case "protocol" -> http.setProtocol(EventJson.text(p));
                case "sourceIp" -> http.setSourceIp(EventJson.text(p));
                case "userAgent" -> http.setUserAgent(EventJson.text(p));
                default -> p.skipChildren();
            }
        }
        return http;
    }

    @SuppressWarnings("unchecked")
    private static APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer(JsonParser p) throws IOException {
        if (!EventJson.object(p)) {
            return null;
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer =
                new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "jwt" -> authorizer.setJwt(jwt(p));
                case "lambda" -> {
                    Object context = EventJson.value(p);
                    authorizer.setLambda(context instanceof Map<?, ?> m ? (Map<String, Object>) m : null);
                }
                default -> p.skipChildren();
            }
        }
        return authorizer;
    }

    private static APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt(JsonParser p) throws IOException {
        if (!EventJson.object(p)) {
            return null;
        }
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt =
                new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "claims" -> jwt.setClaims(EventJson.stringMap(p));
                case "scopes" -> jwt.setScopes(EventJson.stringList(p));
                default -> p.skipChildren();
            }
        }
        return jwt;
    }

    /** The response as API Gateway reads it: status, headers, multi-value headers, cookies, body, base64 flag. */
    static void write(APIGatewayV2HTTPResponse response, OutputStream out) throws IOException {
        try (JsonGenerator g = EventJson.FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("statusCode", response.getStatusCode());
            EventJson.stringMap(g, "headers", response.getHeaders());
            Map<String, List<String>> multi = response.getMultiValueHeaders();
            if (multi != null) {
                g.writeObjectFieldStart("multiValueHeaders");
                for (Map.Entry<String, List<String>> e : multi.entrySet()) {
                    EventJson.stringList(g, e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            EventJson.stringList(g, "cookies", response.getCookies());
            if (response.getBody() != null) {
                g.writeStringField("body", response.getBody());
            }
            g.writeBooleanField("isBase64Encoded", response.getIsBase64Encoded());
            g.writeEndObject();
        }
    }
}
