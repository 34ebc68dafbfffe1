package org.openepro.export;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.IntSupplier;

/** A Lambda context whose remaining time the test controls (to force a deadline in the middle of an export). */
public final class FakeContext implements Context {
    private final String requestId = UUID.randomUUID().toString();
    private final IntSupplier remaining;

    public FakeContext(IntSupplier remaining) {
        this.remaining = remaining;
    }

    /** Plenty of time on the first {@code calls} questions, then almost none: the deadline strikes mid-export. */
    public static FakeContext deadlineAfter(int calls) {
        int[] asked = {0};
        return new FakeContext(() -> ++asked[0] <= calls ? 300_000 : 1_000);
    }

    public static FakeContext plentyOfTime() {
        return new FakeContext(() -> 300_000);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/ExportWorkerFunction";
    }

    @Override
    public String getLogStreamName() {
        return "test";
    }

    @Override
    public String getFunctionName() {
        return "ExportWorkerFunction";
    }

    @Override
    public String getFunctionVersion() {
        return "1";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:eu-west-1:123456789012:function:ExportWorkerFunction";
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return remaining.getAsInt();
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1536;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
