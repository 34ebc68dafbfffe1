package org.openepro.emulator;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * The Lambda {@link Context} of an invocation outside Lambda: the local runtime's (remaining time
 * counting down the template's Timeout) and the tests' (remaining time the test decides, e.g. to
 * drive a handler near its deadline).
 */
public final class EmulatedLambdaContext implements Context {
    public static final String ACCOUNT_ID = "123456789012";

    private final String requestId;
    private final String functionName;
    private final int memoryMb;
    private final String region;
    private final IntSupplier remainingMillis;
    private final LambdaLogger logger;

    public EmulatedLambdaContext(
            String requestId,
            String functionName,
            int memoryMb,
            String region,
            IntSupplier remainingMillis,
            PrintStream out) {
        this.requestId = requestId;
        this.functionName = functionName;
        this.memoryMb = memoryMb;
        this.region = region;
        this.remainingMillis = remainingMillis;
        this.logger = new StreamLogger(out);
    }

    /** An invocation that must end by {@code deadline} on {@code clock} (the template's Timeout). */
    public static EmulatedLambdaContext until(
            String requestId,
            String functionName,
            int memoryMb,
            Instant deadline,
            Clock clock,
            String region,
            PrintStream out) {
        return new EmulatedLambdaContext(
                requestId,
                functionName,
                memoryMb,
                region,
                () -> {
                    long left = deadline.toEpochMilli() - clock.millis();
                    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
                },
                out);
    }

    /** Always this much time left. */
    public static EmulatedLambdaContext withRemaining(String functionName, int millis) {
        return new EmulatedLambdaContext(
                UUID.randomUUID().toString(), functionName, 1024, "eu-west-1", () -> millis, System.out);
    }

    /** {@code first} ms left at the first {@code calls} questions, then {@code after}: a deadline that strikes mid-way. */
    public static EmulatedLambdaContext running(String functionName, int calls, int first, int after) {
        int[] asked = {0};
        return new EmulatedLambdaContext(
                UUID.randomUUID().toString(),
                functionName,
                1024,
                "eu-west-1",
                () -> {
                    synchronized (asked) {
                        return asked[0]++ < calls ? first : after;
                    }
                },
                System.out);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/[$LATEST]" + functionName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + region + ":" + ACCOUNT_ID + ":function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    /** Milliseconds left; never negative. */
    @Override
    public int getRemainingTimeInMillis() {
        return remainingMillis.getAsInt();
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    /** Lambda's logger writes each message as one log event: here, one line. */
    private record StreamLogger(PrintStream out) implements LambdaLogger {
        @Override
        public void log(String message) {
            synchronized (out) {
                out.println(message.endsWith("\n") ? message.substring(0, message.length() - 1) : message);
            }
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    }
}
