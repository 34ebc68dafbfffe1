package org.openepro.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The JSON documents Lambda hands a function, byte for byte in the services' shapes: API Gateway's
 * HTTP API payload format 2.0, the SQS event source mapping's {@code Records} batch, and EventBridge
 * Scheduler's input. The function's runtime client reads them with its own serializer, as on Lambda.
 */
public final class LambdaEvents {
    // a plain mapper: these are documents we write, in AWS's field names, never parsed client input
    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaEvents() {}

    /** An HTTP API request as API Gateway sends it (fields it has no value for are left out, as it does). */
    public static byte[] httpApi(APIGatewayV2HTTPEvent event) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", event.getVersion());
        root.put("routeKey", event.getRouteKey());
        root.put("rawPath", event.getRawPath());
        root.put("rawQueryString", event.getRawQueryString() == null ? "" : event.getRawQueryString());
        if (event.getCookies() != null && !event.getCookies().isEmpty()) {
            ArrayNode cookies = root.putArray("cookies");
            event.getCookies().forEach(cookies::add);
        }
        putStrings(root, "headers", event.getHeaders());
        putStrings(root, "queryStringParameters", event.getQueryStringParameters());
        putStrings(root, "pathParameters", event.getPathParameters());
        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        ObjectNode context = root.putObject("requestContext");
        context.put("accountId", ctx.getAccountId());
        context.put("apiId", ctx.getApiId());
        if (ctx.getAuthorizer() != null && ctx.getAuthorizer().getJwt() != null) {
            ObjectNode jwt = context.putObject("authorizer").putObject("jwt");
            putStrings(jwt, "claims", ctx.getAuthorizer().getJwt().getClaims());
            ArrayNode scopes = jwt.putArray("scopes");
            if (ctx.getAuthorizer().getJwt().getScopes() != null) {
                ctx.getAuthorizer().getJwt().getScopes().forEach(scopes::add);
            }
        }
        context.put("domainName", ctx.getDomainName());
        context.put("domainPrefix", ctx.getDomainPrefix());
        ObjectNode http = context.putObject("http");
        http.put("method", ctx.getHttp().getMethod());
        http.put("path", ctx.getHttp().getPath());
        http.put("protocol", ctx.getHttp().getProtocol());
        http.put("sourceIp", ctx.getHttp().getSourceIp());
        http.put("userAgent", ctx.getHttp().getUserAgent());
        context.put("requestId", ctx.getRequestId());
        context.put("routeKey", ctx.getRouteKey());
        context.put("stage", ctx.getStage());
        context.put("time", ctx.getTime());
        context.put("timeEpoch", ctx.getTimeEpoch());
        if (event.getBody() != null) {
            root.put("body", event.getBody());
        }
        root.put("isBase64Encoded", event.getIsBase64Encoded());
        return bytes(root);
    }

    /** A batch of received messages as the SQS event source mapping passes it. */
    public static byte[] sqs(List<Message> messages, String queueArn, String region) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (Message m : messages) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            putStrings(r, "attributes", m.attributesAsStrings());
            ObjectNode attributes = r.putObject("messageAttributes");
            m.messageAttributes().forEach((name, value) -> attribute(attributes.putObject(name), value));
            r.put("md5OfBody", m.md5OfBody());
            if (m.md5OfMessageAttributes() != null) {
                r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
            }
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", region);
        }
        return bytes(root);
    }

    /**
     * What EventBridge Scheduler passes a Lambda target: the schedule's Input as written, or
     * {@code {}} when the schedule has none (the template's schedules have none).
     */
    public static byte[] schedule(String input) {
        return (input == null || input.isBlank() ? "{}" : input).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void attribute(ObjectNode into, MessageAttributeValue value) {
        if (value.stringValue() != null) {
            into.put("stringValue", value.stringValue());
        }
        if (value.binaryValue() != null) {
            into.put(
                    "binaryValue",
                    Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        }
        ArrayNode strings = into.putArray("stringListValues");
        if (value.hasStringListValues()) {
            value.stringListValues().forEach(strings::add);
        }
        ArrayNode binaries = into.putArray("binaryListValues");
        if (value.hasBinaryListValues()) {
            value.binaryListValues()
                    .forEach(b -> binaries.add(Base64.getEncoder().encodeToString(b.asByteArray())));
        }
        into.put("dataType", value.dataType());
    }

    private static void putStrings(ObjectNode parent, String field, Map<String, String> values) {
        if (values == null) {
            return;
        }
        ObjectNode node = parent.putObject(field);
        values.forEach(node::put);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an event", e);
        }
    }
}
