package org.openepro.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Test-only scheduled handler (as the outbox sweeper): reports each event and the function name it ran as. */
public final class TickHandler implements RequestHandler<Map<String, Object>, Void> {
    @Override
    public Void handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> seen = Witness.of(context);
        seen.put("event", event);
        Witness.print("tick", seen);
        return null;
    }
}
