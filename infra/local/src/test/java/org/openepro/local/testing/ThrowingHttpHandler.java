package org.openepro.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Map;
import org.openepro.core.aws.AwsClients;

/** Test-only handler that fails every invocation (and implements no interface: reflection finds handleRequest). */
public final class ThrowingHttpHandler {
    public ThrowingHttpHandler(Map<String, String> env, AwsClients aws) {
    }

    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        throw new IllegalStateException("this handler always fails");
    }
}
