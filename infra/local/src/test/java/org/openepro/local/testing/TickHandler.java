package org.openepro.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openepro.core.aws.AwsClients;

/** Test-only scheduled handler (as the outbox sweeper): records each event and the function name it ran as. */
public final class TickHandler implements RequestHandler<Map<String, Object>, Void> {
    /** One scheduled invocation. */
    public record Tick(Map<String, Object> event, String functionName, int remainingMillis) {
    }

    public final List<Tick> ticks = new CopyOnWriteArrayList<>();

    public TickHandler(Map<String, String> env, AwsClients aws) {
    }

    @Override
    public Void handleRequest(Map<String, Object> event, Context context) {
        ticks.add(new Tick(Map.copyOf(event), context.getFunctionName(), context.getRemainingTimeInMillis()));
        return null;
    }
}
