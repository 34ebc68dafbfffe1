package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.report.Report;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.export.job.ExportJobStore;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * The export worker after a DynamoDB call that timed out (as the emulator's did under the load bench): a job
 * whose lease this invocation may still hold is woken again once that lease has passed, not left for the export
 * queue's 30-minute visibility timeout, and not woken so early that the wake-up is dropped.
 */
@ExtendWith(AwsEmulatorExtension.class)
class ExportTransientFailureIT {
    private static final long REMAINING_MS = 300_000;
    private static final String REQUEST = """
            {"format":"csv","from":"2026-05-01","to":"2026-05-02","profile":"limited"}""";

    @Test
    void aSegmentWhoseLeaseCouldNotBeReleasedIsWokenOnceTheLeaseHasPassedAndCompletes(EmulatedStack stack)
            throws Exception {
        // GIVEN a queued export of 12 reports, and DynamoDB timing out on the segment's first Query and on the
        // release of the lease that follows
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study);
        String exportId = h.request(study, REQUEST, null);
        takeTheApiMessage(stack);
        FailOnce query = new FailOnce(r -> r instanceof QueryRequest);
        FailOnce release = new FailOnce(
                r -> r instanceof UpdateItemRequest u && u.updateExpression().contains("#attempts"));
        Sends sends = new Sends(stack);

        // WHEN the worker runs the job
        ExportRunner.Outcome outcome = runner(stack, failing(stack, query, release, false), sends, Clock.systemUTC())
                .run(exportId, () -> REMAINING_MS);

        // THEN it will be tried again: the job is still held by the lease it could not give up, and its one
        // wake-up is delayed past that lease (and within SQS's 900 s)
        assertThat(outcome).isEqualTo(ExportRunner.Outcome.RETRYING);
        assertThat(query.failed.get()).isEqualTo(1);
        assertThat(release.failed.get()).isEqualTo(1);
        Map<String, AttributeValue> held = job(stack, exportId);
        assertThat(held.get("status").s()).isEqualTo("RUNNING");
        assertThat(held).containsKey("leaseOwner");
        Instant leaseUntil =
                Instant.ofEpochMilli(Long.parseLong(held.get("leaseUntil").n()));
        SendMessageRequest wakeUp = sends.single();
        assertThat(wakeUp.messageBody()).contains(exportId);
        assertThat(wakeUp.delaySeconds()).isBetween(300, 900);
        assertThat(Instant.now().plusSeconds(wakeUp.delaySeconds())).isAfter(leaseUntil);
        // AND nothing is delivered before then
        assertThat(visibleMessages(stack)).isEmpty();
        assertThat(delayedMessages(stack)).isEqualTo(1);

        // WHEN a wake-up came at the usual 30 s retry delay instead, THEN it would find the job held and be dropped
        Clock thirtySecondsLater = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30));
        assertThat(runner(stack, stack.clientsFor("ExportWorkerFunction").dynamo(), sends, thirtySecondsLater)
                        .run(exportId, () -> REMAINING_MS))
                .isEqualTo(ExportRunner.Outcome.SKIPPED);

        // WHEN the wake-up arrives when it was sent for
        Clock atTheWakeUp = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(wakeUp.delaySeconds()));
        ExportRunner.Outcome resumed = runner(
                        stack, stack.clientsFor("ExportWorkerFunction").dynamo(), sends, atTheWakeUp)
                .run(exportId, () -> REMAINING_MS);

        // THEN the job succeeds with every report in the file exactly once
        assertThat(resumed).isEqualTo(ExportRunner.Outcome.SUCCEEDED);
        assertEveryReportOnce(h, study, exportId, expected);
    }

    @Test
    void aClaimWhoseAnswerWasLostIsWokenAfterTheLeaseItAskedForAndCompletes(EmulatedStack stack) throws Exception {
        // GIVEN a queued export, and a claim that DynamoDB applies but whose answer times out
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        List<Report> expected = seed(h, study);
        String exportId = h.request(study, REQUEST, null);
        takeTheApiMessage(stack);
        FailOnce claim = new FailOnce(
                r -> r instanceof UpdateItemRequest u && u.updateExpression().contains("#segment + :one"));
        Sends sends = new Sends(stack);

        // WHEN the worker runs the job
        ExportRunner.Outcome outcome = runner(
                        stack, failing(stack, claim, FailOnce.NEVER, true), sends, Clock.systemUTC())
                .run(exportId, () -> REMAINING_MS);

        // THEN the job is held by the claim that took effect, nothing was written, and the wake-up comes after
        // that claim's lease
        assertThat(outcome).isEqualTo(ExportRunner.Outcome.RETRYING);
        assertThat(claim.failed.get()).isEqualTo(1);
        Map<String, AttributeValue> held = job(stack, exportId);
        assertThat(held.get("status").s()).isEqualTo("RUNNING");
        Instant leaseUntil =
                Instant.ofEpochMilli(Long.parseLong(held.get("leaseUntil").n()));
        SendMessageRequest wakeUp = sends.single();
        assertThat(Instant.now().plusSeconds(wakeUp.delaySeconds())).isAfter(leaseUntil);
        assertThat(wakeUp.delaySeconds()).isLessThanOrEqualTo(900);
        assertThat(h.objectKeys(exportId)).isEmpty();

        // WHEN the wake-up arrives, THEN the job succeeds with every report once
        Clock atTheWakeUp = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(wakeUp.delaySeconds()));
        assertThat(runner(stack, stack.clientsFor("ExportWorkerFunction").dynamo(), sends, atTheWakeUp)
                        .run(exportId, () -> REMAINING_MS))
                .isEqualTo(ExportRunner.Outcome.SUCCEEDED);
        assertEveryReportOnce(h, study, exportId, expected);
    }

    @Test
    void aReleaseRefusedForGoodFailsTheRecordAndSendsNoWakeUp(EmulatedStack stack) throws Exception {
        // GIVEN a queued export, a segment whose Query times out and a release that DynamoDB refuses (a 400, which
        // no retry heals)
        ExportHarness h = new ExportHarness(stack, Map.of());
        String study = "ST-" + UUID.randomUUID();
        seed(h, study);
        String exportId = h.request(study, REQUEST, null);
        takeTheApiMessage(stack);
        FailOnce query = new FailOnce(r -> r instanceof QueryRequest);
        Predicate<Object> isRelease =
                r -> r instanceof UpdateItemRequest u && u.updateExpression().contains("#attempts");
        Sends sends = new Sends(stack);
        DynamoDbClient refusing = failing(stack, query, FailOnce.NEVER, false, isRelease);

        // WHEN the worker runs the job, THEN the failure reaches the batch processor (the record fails, and its
        // message returns after the visibility timeout, then goes to the dead-letter queue), and no wake-up is sent
        assertThatThrownBy(
                        () -> runner(stack, refusing, sends, Clock.systemUTC()).run(exportId, () -> REMAINING_MS))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("refused");
        assertThat(sends.requests).isEmpty();
        assertThat(job(stack, exportId).get("status").s()).isEqualTo("RUNNING");
    }

    private static List<Report> seed(ExportHarness h, String study) {
        TestReports reports = new TestReports(5);
        List<Report> seeded = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            seeded.add(reports.report(
                    study,
                    "SITE-1",
                    "SUBJ-" + (i % 3),
                    "phq-9",
                    Instant.parse("2026-05-01T08:00:00Z").plusSeconds(3_600L * i)));
        }
        h.seed(seeded);
        return seeded;
    }

    private static void assertEveryReportOnce(ExportHarness h, String study, String exportId, List<Report> expected)
            throws Exception {
        JsonNode job = h.status(exportId, study, null);
        assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
        byte[] file = h.download(job.path("download").path("url").asText()).body();
        assertThat(ExportFiles.rows("csv", file))
                .extracting(r -> r.get("reportId"))
                .containsExactlyInAnyOrderElementsOf(
                        expected.stream().map(Report::reportId).toList());
    }

    private static ExportRunner runner(EmulatedStack stack, DynamoDbClient dynamo, Sends sqs, Clock clock) {
        var clients = stack.clientsFor("ExportWorkerFunction");
        return ExportWorkerWiring.runner(
                ExportWorkerConfig.fromEnv(stack.env("ExportWorkerFunction")),
                dynamo,
                clients.s3(),
                sqs.client(),
                TestReports.registryWithDiary(),
                clock);
    }

    /** The API's message is the test's to deliver: it runs the worker's runner itself. */
    private static void takeTheApiMessage(EmulatedStack stack) {
        String queue = stack.ref("ExportQueue");
        var messages = stack.clients()
                .sqs()
                .receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
        assertThat(messages).hasSize(1);
        stack.clients()
                .sqs()
                .deleteMessage(
                        b -> b.queueUrl(queue).receiptHandle(messages.get(0).receiptHandle()));
    }

    private static List<String> visibleMessages(EmulatedStack stack) {
        return stack
                .clients()
                .sqs()
                .receiveMessage(b -> b.queueUrl(stack.ref("ExportQueue"))
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(0))
                .messages()
                .stream()
                .map(m -> m.body())
                .toList();
    }

    private static int delayedMessages(EmulatedStack stack) {
        return Integer.parseInt(stack.clients()
                .sqs()
                .getQueueAttributes(b -> b.queueUrl(stack.ref("ExportQueue"))
                        .attributeNamesWithStrings("ApproximateNumberOfMessagesDelayed"))
                .attributesAsStrings()
                .get("ApproximateNumberOfMessagesDelayed"));
    }

    private static Map<String, AttributeValue> job(EmulatedStack stack, String exportId) {
        return stack.clients()
                .dynamo()
                .getItem(b -> b.tableName(stack.ref("ExportsTable"))
                        .consistentRead(true)
                        .key(Map.of(
                                "pk",
                                AttributeValue.fromS(ExportJobStore.pk(exportId)),
                                "sk",
                                AttributeValue.fromS(ExportJobStore.JOB_SK))))
                .item();
    }

    /** Fails the first request it matches, as a call that timed out. */
    private static final class FailOnce {
        static final FailOnce NEVER = new FailOnce(r -> false);
        final Predicate<Object> matches;
        final AtomicInteger failed = new AtomicInteger();

        FailOnce(Predicate<Object> matches) {
            this.matches = matches;
        }

        boolean fires(Object request) {
            return matches.test(request) && failed.compareAndSet(0, 1);
        }
    }

    private static DynamoDbClient failing(EmulatedStack stack, FailOnce first, FailOnce second, boolean afterEffect) {
        return failing(stack, first, second, afterEffect, r -> false);
    }

    /**
     * The worker's own DynamoDB client, except that {@code first} and {@code second} time out once each (before the
     * call reaches DynamoDB, or after it took effect) and {@code refused} answers 400 every time.
     */
    private static DynamoDbClient failing(
            EmulatedStack stack, FailOnce first, FailOnce second, boolean afterEffect, Predicate<Object> refused) {
        DynamoDbClient real = stack.clientsFor("ExportWorkerFunction").dynamo();
        return (DynamoDbClient) Proxy.newProxyInstance(
                ExportTransientFailureIT.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (args != null && args.length == 1 && args[0] instanceof Consumer) {
                        // the builder variants build the request and come back here with it
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    Object request = args == null ? null : args[0];
                    if (refused.test(request)) {
                        throw DynamoDbException.builder()
                                .message("injected: " + method.getName() + " refused")
                                .statusCode(400)
                                .build();
                    }
                    boolean timeOut = first.fires(request) || second.fires(request);
                    if (timeOut && !afterEffect) {
                        throw ApiCallTimeoutException.create(25_000);
                    }
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (timeOut) {
                        throw ApiCallTimeoutException.create(25_000);
                    }
                    return result;
                });
    }

    /** The worker's own SQS client, recording every message it sends. */
    private static final class Sends {
        final List<SendMessageRequest> requests = new CopyOnWriteArrayList<>();
        private final SqsClient real;

        Sends(EmulatedStack stack) {
            this.real = stack.clientsFor("ExportWorkerFunction").sqs();
        }

        SqsClient client() {
            return (SqsClient) Proxy.newProxyInstance(
                    ExportTransientFailureIT.class.getClassLoader(),
                    new Class<?>[] {SqsClient.class},
                    (proxy, method, args) -> {
                        if (args != null && args.length == 1 && args[0] instanceof Consumer) {
                            return InvocationHandler.invokeDefault(proxy, method, args);
                        }
                        if (args != null && args.length == 1 && args[0] instanceof SendMessageRequest send) {
                            requests.add(send);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        SendMessageRequest single() {
            assertThat(requests).hasSize(1);
            return requests.get(0);
        }
    }
}
