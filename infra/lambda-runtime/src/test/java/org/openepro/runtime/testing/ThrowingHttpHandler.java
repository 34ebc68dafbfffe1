package org.openepro.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

/** Test-only handler that fails every invocation (and implements no interface: the runtime client finds handleRequest). */
public final class ThrowingHttpHandler {
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Witness.print("throwing", Witness.of(context));
        throw new IllegalStateException("this handler always fails");
    }
}
