package org.openepro.core.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.function.Supplier;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;

/**
 * One invocation of a function that is neither an HTTP API nor a queue consumer (a schedule, a
 * trigger): its log lines carry Lambda's request id, and its metrics are flushed once, whatever
 * happens. The HTTP adapter and the queue consumer do the same for theirs.
 */
public final class Invocation {
    private Invocation() {}

    public static <T> T run(Context context, Metrics metrics, Supplier<T> work) {
        Log.requestId(context == null ? null : context.getAwsRequestId());
        try {
            return work.get();
        } finally {
            metrics.flush();
            Log.requestId(null);
        }
    }
}
