package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.emulator.AwsEmulator;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.runtime.lambda.FunctionPool;
import org.openepro.runtime.lambda.ManagedJavaRuntime;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The local event source mappings poll as Lambda's do: with the credentials of the function's role, which the
 * emulator checks against the role's policies from the translated template (the AWSLambdaSQSQueueExecutionRole SAM
 * attaches for an SQS event included). A role without the poller's permissions receives nothing, and the console
 * says which function, action and queue.
 */
@ExtendWith(AwsEmulatorExtension.class)
class QueuePollerRoleIT {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** The stacks whose refused calls are this test's point (`make iam-report` marks them deliberate). */
    static final String DELIBERATE_DENIALS = "epro-deliberate-denials";

    @Test
    void aPollerWhoseFunctionsRoleMayNotReceiveSaysSoAndReceivesNothing() throws Exception {
        // GIVEN a stack of its own (its refusals are deliberate: the module's stack must see none), a message on its
        // index queue, and an event source mapping from that queue to TokenClaimsFunction, whose role has no SQS
        // permission at all (the template gives it no SQS event, so SAM attached no poller policy)
        EmulatedStack stack = AwsEmulator.shared().deployStack(DELIBERATE_DENIALS);
        assertThat(stack.iamEnforced()).as("the emulator checks IAM").isTrue();
        Wiring.QueueSource index = source(stack, "IndexQueue");
        Wiring.QueueSource misWired = new Wiring.QueueSource(
                "TokenClaimsFunction", "Index", index.queueId(), index.queueUrl(), index.queueArn(), 10, 0, true, null);
        String body = "{\"probe\":\"" + UUID.randomUUID() + "\"}";
        stack.clients().sqs().sendMessage(b -> b.queueUrl(index.queueUrl()).messageBody(body));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), Clock.systemUTC());
        Map<String, FunctionPool> pools = LocalRuntime.functionPools(
                stack,
                Files.createTempDirectory("no-artifacts"),
                ManagedJavaRuntime.locate(),
                new FunctionLogPrinter(console),
                console,
                Map.of());

        // WHEN the poller runs with the function's role
        String refusal;
        try (QueuePoller poller = QueuePoller.forFunctionRole(
                        misWired, pools.get("TokenClaimsFunction"), stack, 1, console)
                .start()) {
            refusal = awaitLine(out, "is refused");
        }
        System.out.println(refusal);

        // THEN one line names the function, the action its role lacks and the queue
        assertThat(refusal)
                .contains("TokenClaimsFunction")
                .contains("sqs:ReceiveMessage")
                .contains(index.queueArn())
                .contains("receives nothing");
        assertThat(lines(out).stream().filter(l -> l.contains("is refused"))).hasSize(1);
        // AND the message was never received: the admin's receive is its first
        List<Message> left = stack.clients()
                .sqs()
                .receiveMessage(b -> b.queueUrl(index.queueUrl())
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(1)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
        assertThat(left)
                .filteredOn(m -> m.body().equals(body))
                .singleElement()
                .satisfies(m -> assertThat(m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                        .isEqualTo("1"));
        pools.values().forEach(FunctionPool::close);
    }

    @Test
    void everyQueueOfTheTemplateIsPolledAndDeletedWithItsFunctionsOwnRole(EmulatedStack stack) {
        assertThat(stack.iamEnforced()).as("the emulator checks IAM").isTrue();
        List<Wiring.QueueSource> queues = Wiring.from(stack).queues();
        assertThat(queues).isNotEmpty();
        for (Wiring.QueueSource q : queues) {
            // GIVEN a message on the function's queue
            String body = "{\"probe\":\"" + UUID.randomUUID() + "\"}";
            stack.clients().sqs().sendMessage(b -> b.queueUrl(q.queueUrl()).messageBody(body));

            // WHEN the function's role receives and deletes it, as its event source mapping does (a short visibility:
            // another test's message it meets is back on the queue at once, untouched)
            var sqs = stack.clientsFor(q.functionId()).sqs();
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(q.queueUrl())
                            .maxNumberOfMessages(10)
                            .waitTimeSeconds(1)
                            .visibilityTimeout(1))
                    .messages();
            List<Message> probes =
                    got.stream().filter(m -> m.body().equals(body)).toList();
            for (Message m : probes) {
                sqs.deleteMessage(b -> b.queueUrl(q.queueUrl()).receiptHandle(m.receiptHandle()));
            }

            // THEN the role was allowed both (by the policy SAM attaches for the SQS event: a refusal would throw)
            assertThat(probes).as(q.functionId() + " from " + q.queueId()).hasSize(1);
        }
    }

    private static Wiring.QueueSource source(EmulatedStack stack, String queueId) {
        return Wiring.from(stack).queues().stream()
                .filter(q -> q.queueId().equals(queueId))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> lines(ByteArrayOutputStream out) {
        return List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private static String awaitLine(ByteArrayOutputStream out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines(out)) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no console line with \"" + text + "\" within " + PATIENCE + ":\n" + out);
    }
}
