package org.openepro.local;

import org.openepro.local.aws.MutableClock;

import org.openepro.local.aws.EmulatedLambdaContext;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openepro.core.aws.AwsClients;
import org.openepro.local.aws.EmulatedStack;
import org.openepro.local.testing.EchoHttpHandler;
import org.openepro.local.testing.FlakySqsHandler;
import org.openepro.local.testing.TickHandler;

class FunctionContainerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);
    private static final AwsClients AWS = AwsClients.fromEnv(Map.of("AWS_REGION", "eu-west-1"));
    private static final PrintStream OUT = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void buildsTheHandlerWithTheTemplatesEnvironmentPlusLambdasOwnVariables() {
        FunctionContainer f = create("EchoFunction", EchoHttpHandler.class.getName(), Map.of("TABLE", "t-1"));

        assertThat(f.available()).isTrue();
        Map<String, String> env = ((EchoHttpHandler) f.handler()).env;
        assertThat(env).containsEntry("TABLE", "t-1")
                .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "EchoFunction")
                .containsEntry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512")
                .containsEntry("_HANDLER", EchoHttpHandler.class.getName() + "::handleRequest");
    }

    @Test
    void findsTheEventTypeOfHandleRequestNotTheCompilersBridgeMethod() {
        assertThat(create("H", EchoHttpHandler.class.getName(), Map.of()).inputType()).isEqualTo(APIGatewayV2HTTPEvent.class);
        assertThat(create("Q", FlakySqsHandler.class.getName(), Map.of()).inputType()).isEqualTo(SQSEvent.class);
        assertThat(create("S", TickHandler.class.getName(), Map.of()).accepts(Map.class)).isTrue();
        assertThat(create("S", TickHandler.class.getName(), Map.of()).accepts(SQSEvent.class)).isFalse();
    }

    @Test
    void aHandlerThatCannotBeBuiltLeavesTheContainerUnavailableWithTheReason() {
        assertThat(create("A", "org.openepro.nowhere.MissingHandler", Map.of()).unavailableReason())
                .contains("not on the classpath");
        assertThat(create("B", "org.openepro.local.testing.NoEnvConstructorHandler", Map.of()).unavailableReason())
                .contains("(Map<String,String> env, AwsClients aws) constructor");
        assertThat(create("C", "org.openepro.local.testing.MisconfiguredHandler", Map.of()).unavailableReason())
                .contains("TABLE_THAT_IS_NOT_SET");
    }

    @Test
    void anUnavailableFunctionIsNotInvoked() {
        FunctionContainer f = create("A", "org.openepro.nowhere.MissingHandler", Map.of());

        assertThat(f.invoke(Map.of()).status()).isEqualTo(FunctionContainer.Status.UNAVAILABLE);
        assertThat(f.accepts(Map.class)).isFalse();
    }

    @Test
    void invokesWithAContextCarryingTheFunctionMemoryAndTheTemplatesTimeout() {
        FunctionContainer f = create("EchoFunction", EchoHttpHandler.class.getName(), Map.of());

        FunctionContainer.Invocation invocation = f.invoke(new APIGatewayV2HTTPEvent());

        assertThat(invocation.succeeded()).isTrue();
        EchoHttpHandler.Seen seen = ((EchoHttpHandler) f.handler()).seen.get(0);
        assertThat(seen.functionName()).isEqualTo("EchoFunction");
        assertThat(seen.memoryMb()).isEqualTo(512);
        assertThat(seen.requestId()).isEqualTo(invocation.requestId());
        // the clock is fixed: no time passes, so all of the 7 s Timeout remains
        assertThat(seen.remainingMillis()).isEqualTo(7000);
    }

    @Test
    void contextCountsDownToTheDeadlineAndNeverBelowZero() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
        EmulatedLambdaContext context = EmulatedLambdaContext.until("r", "F", 256, clock.instant().plusSeconds(30), clock, "eu-west-1", OUT);

        clock.advance(Duration.ofSeconds(12));
        assertThat(context.getRemainingTimeInMillis()).isEqualTo(18_000);
        clock.advance(Duration.ofSeconds(60));
        assertThat(context.getRemainingTimeInMillis()).isZero();
        assertThat(context.getInvokedFunctionArn()).isEqualTo("arn:aws:lambda:eu-west-1:123456789012:function:F");
    }

    @Test
    void aThrowingHandlerIsAFailedInvocation() {
        FunctionContainer f = create("T", "org.openepro.local.testing.ThrowingHttpHandler", Map.of());

        FunctionContainer.Invocation invocation = f.invoke(new APIGatewayV2HTTPEvent());

        assertThat(invocation.status()).isEqualTo(FunctionContainer.Status.FAILED);
        assertThat(invocation.error()).isInstanceOf(IllegalStateException.class);
    }

    private static FunctionContainer create(String id, String handlerClass, Map<String, String> env) {
        EmulatedStack.Function config = new EmulatedStack.Function(handlerClass + "::handleRequest", 7, 512, env,
                List.of(), ".");
        return FunctionContainer.create(id, config, env, AWS, CLOCK, OUT);
    }
}
