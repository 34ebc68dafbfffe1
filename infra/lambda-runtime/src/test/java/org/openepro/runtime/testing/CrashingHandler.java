package org.openepro.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.Map;

/** Test-only handler whose JVM dies in the middle of every invocation (as an out-of-memory kill would end it). */
public final class CrashingHandler {
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Witness.print("crashing", Witness.of(context));
        System.out.flush();
        Runtime.getRuntime().halt(3);
        return event;
    }
}
