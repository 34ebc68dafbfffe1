package org.openepro.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** Test-only HTTP handler that outlives its context's remaining time, then answers 200 (which must not reach the client). */
public final class SlowHttpHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Witness.print("slow", Witness.of(context));
        try {
            Thread.sleep(context.getRemainingTimeInMillis() + 2_000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                .withBody("{\"late\":true}")
                .build();
    }
}
