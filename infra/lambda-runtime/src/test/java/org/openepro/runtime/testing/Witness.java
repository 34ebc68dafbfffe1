package org.openepro.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-only: what a test handler saw, written to stdout as one line ({@code WITNESS <json>}), the way a
 * function's log line reaches the local runtime's console (and CloudWatch): the tests read it there.
 */
public final class Witness {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Witness() {}

    /** The handler's execution environment as a test checks it: process, context, environment, heap. */
    public static Map<String, Object> of(Context context) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("pid", ProcessHandle.current().pid());
        seen.put("functionName", context.getFunctionName());
        seen.put("memoryMb", context.getMemoryLimitInMB());
        seen.put("remainingMillis", context.getRemainingTimeInMillis());
        seen.put("requestId", context.getAwsRequestId());
        seen.put("invokedFunctionArn", context.getInvokedFunctionArn());
        seen.put("logGroup", context.getLogGroupName());
        seen.put("logStream", context.getLogStreamName());
        seen.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        seen.put("workingDirectory", System.getProperty("user.dir"));
        seen.put("environment", new LinkedHashMap<>(System.getenv()));
        return seen;
    }

    public static void print(String kind, Object value) {
        try {
            System.out.println("WITNESS " + kind + " " + JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
