package org.openepro.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openepro.core.aws.AwsClients;

/**
 * Test-only HTTP API handler: records each event and its context, answers 200 with a header and
 * two cookies; {@code ?binary=1} answers bytes base64-encoded, as a handler returning a file would.
 */
public final class EchoHttpHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final byte[] BINARY = {0, 1, 2, (byte) 0xfe, (byte) 0xff};

    /** What one invocation saw. */
    public record Seen(APIGatewayV2HTTPEvent event, String functionName, int memoryMb, int remainingMillis,
                       String requestId) {
    }

    public final Map<String, String> env;
    public final List<Seen> seen = new CopyOnWriteArrayList<>();

    public EchoHttpHandler(Map<String, String> env, AwsClients aws) {
        this.env = env;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        seen.add(new Seen(event, context.getFunctionName(), context.getMemoryLimitInMB(),
                context.getRemainingTimeInMillis(), context.getAwsRequestId()));
        boolean binary = event.getQueryStringParameters() != null && "1".equals(event.getQueryStringParameters().get("binary"));
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(binary ? 200 : 201)
                .withHeaders(Map.of("content-type", binary ? "application/octet-stream" : "application/json",
                        "x-echo", "yes"))
                .withCookies(List.of("session=abc; Path=/; HttpOnly", "theme=dark"))
                .withBody(binary ? java.util.Base64.getEncoder().encodeToString(BINARY) : "{\"ok\":true}")
                .withIsBase64Encoded(binary)
                .build();
    }
}
