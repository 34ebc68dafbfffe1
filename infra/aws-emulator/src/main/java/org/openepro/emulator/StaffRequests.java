package org.openepro.emulator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.HashMap;
import java.util.Map;

/** Staff requests for tests: a sample event of events/ re-addressed to a path and signed by a staff member. */
public final class StaffRequests {
    private StaffRequests() {}

    /**
     * The sample event {@code sample} for {@code rawPath} with these path parameters and, unless null,
     * this query, sent by staff member {@code sub} of {@code studies} (the claim's "[A B]" form).
     */
    public static APIGatewayV2HTTPEvent request(
            String sample,
            String rawPath,
            Map<String, String> pathParameters,
            Map<String, String> query,
            String sub,
            String studies) {
        APIGatewayV2HTTPEvent event = SampleEvents.httpApi(sample);
        event.setRawPath(rawPath);
        event.setPathParameters(pathParameters);
        if (query != null) {
            event.setQueryStringParameters(query);
        }
        return asStaff(event, sub, studies);
    }

    /** The event with its JWT's subject and studies claims replaced. */
    public static APIGatewayV2HTTPEvent asStaff(APIGatewayV2HTTPEvent event, String sub, String studies) {
        var jwt = event.getRequestContext().getAuthorizer().getJwt();
        Map<String, String> claims = new HashMap<>(jwt.getClaims());
        claims.put("sub", sub);
        claims.put("studies", studies);
        jwt.setClaims(claims);
        return event;
    }
}
