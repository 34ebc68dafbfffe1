package org.openepro.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.List;
import java.util.Map;

/**
 * Test-only HTTP API handler: reports each event and its context ({@link Witness}), answers 201 with
 * a header and two cookies; {@code ?binary=1} answers bytes base64-encoded, as a handler returning a
 * file would; {@code ?sleep=ms} first sleeps that long (a busy instance).
 */
public final class EchoHttpHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final byte[] BINARY = {0, 1, 2, (byte) 0xfe, (byte) 0xff};

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Map<String, Object> seen = Witness.of(context);
        seen.put("event", event);
        Witness.print("echo", seen);
        Map<String, String> query =
                event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        if (query.containsKey("sleep")) {
            try {
                Thread.sleep(Long.parseLong(query.get("sleep")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean binary = "1".equals(query.get("binary"));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(binary ? 200 : 201)
                .withHeaders(Map.of(
                        "content-type",
                        binary ? "application/octet-stream" : "application/json",
                        "x-echo",
                        "yes",
                        "x-pid",
                        Long.toString(ProcessHandle.current().pid())))
                .withCookies(List.of("session=abc; Path=/; HttpOnly", "theme=dark"))
                .withBody(binary ? java.util.Base64.getEncoder().encodeToString(BINARY) : "{\"ok\":true}")
                .withIsBase64Encoded(binary)
                .build();
    }
}
