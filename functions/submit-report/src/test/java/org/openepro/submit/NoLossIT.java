package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openepro.submit.StackAssertions.drain;
import static org.openepro.submit.StackAssertions.outbox;
import static org.openepro.submit.StackAssertions.reports;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.id.Participant;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import org.openepro.emulator.MutableClock;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Once a report is acknowledged it is never lost: a queue send that fails after the commit is
 * completed by the client's retry or by the sweeper, and either way each queue ends with one
 * message and the table with one report.
 */
@ExtendWith(AwsEmulatorExtension.class)
class NoLossIT {
    private EmulatedStack stack;
    private SqsMessageSender realSqs;

    @BeforeEach
    void wire(EmulatedStack stack) {
        this.stack = stack;
        this.realSqs =
                new SqsMessageSender(stack.clientsFor("SubmitReportFunction").sqs());
    }

    /** The real SQS sender, except that the first {@code failures} sends to the alert queue fail. */
    private SubmitWiring.Builder wiring() {
        return SubmitWiring.builder(
                SubmitConfig.fromEnv(stack.env("SubmitReportFunction")), stack.clientsFor("SubmitReportFunction"));
    }

    private SubmitReportHandler handler(MessageSender sender) {
        return new SubmitReportHandler(wiring().sender(sender).build());
    }

    private MessageSender failingAlertQueue(int failures) {
        AtomicInteger left = new AtomicInteger(failures);
        String alertQueue = stack.ref("AlertQueue");
        return (url, body) -> {
            if (url.equals(alertQueue) && left.getAndDecrement() > 0) {
                throw new IllegalStateException("injected: SQS unavailable");
            }
            realSqs.send(url, body);
        };
    }

    @Test
    void theClientsRetryCompletesADeliveryThatFailedAfterTheCommit() {
        // GIVEN the alert queue refuses the first send
        var handler = handler(failingAlertQueue(1));
        Participant patient = TestRequests.newPatient();
        var event = TestRequests.sample("submit-phq9.json", patient);

        // WHEN the submission is acknowledged, and the client retries it anyway
        var first = handler.handleRequest(event, null);
        String reportId = TestRequests.json(first).path("reportId").asText();
        assertThat(outbox(stack, reportId))
                .as("a durable record of the pending delivery")
                .hasSize(1);
        var retry = handler.handleRequest(event, null);

        // THEN one report, one message on each queue, nothing left pending
        assertThat(first.getStatusCode()).isEqualTo(201);
        assertThat(retry.getStatusCode()).isEqualTo(201);
        assertThat(TestRequests.json(retry).path("reportId").asText()).isEqualTo(reportId);
        assertThat(reports(stack, patient)).hasSize(1);
        assertThat(drain(stack, "IndexQueue")).hasSize(1);
        assertThat(drain(stack, "AlertQueue")).hasSize(1);
        assertThat(outbox(stack, reportId)).isEmpty();
        assertThat(sweeper().handleRequest(Map.of(), null)).containsEntry("delivered", 0);
        assertThat(drain(stack, "IndexQueue")).isEmpty();
        assertThat(drain(stack, "AlertQueue")).isEmpty();
    }

    @Test
    void aCompletionThatFailsAfterBothSendsNeverSendsTwice() {
        // GIVEN DynamoDB refuses, once, the write that marks a delivered submission complete
        AtomicInteger completionFailures = new AtomicInteger(1);
        DynamoDbClient flaky = refusing((operation, request) -> operation.equals("transactWriteItems")
                && ((TransactWriteItemsRequest) request)
                        .transactItems().stream().anyMatch(i -> i.delete() != null)
                && completionFailures.getAndDecrement() > 0);
        var handler =
                new SubmitReportHandler(wiring().sender(realSqs).dynamo(flaky).build());
        Participant patient = TestRequests.newPatient();

        // WHEN a report is submitted, and the sweeper runs afterwards
        var response = handler.handleRequest(TestRequests.sample("submit-phq9.json", patient), null);
        String reportId = TestRequests.json(response).path("reportId").asText();
        var sweep = sweeper().handleRequest(Map.of(), null);

        // THEN the report is stored once, each queue got its message once, and nothing stays pending
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(completionFailures.get()).as("the injected failure happened").isZero();
        assertThat(sweep).containsEntry("delivered", 1);
        assertStoredAndDeliveredOnce(patient, reportId);
    }

    @Test
    void aCompletionThatTookEffectButTimedOutOnTheClientIsAcknowledgedAndNothingIsSentAgain() {
        // GIVEN the write that marks a delivered submission complete goes through, but its answer is lost once
        AtomicInteger lostAnswers = new AtomicInteger(1);
        DynamoDbClient flaky = failing(
                (operation, request) -> operation.equals("transactWriteItems")
                        && ((TransactWriteItemsRequest) request)
                                .transactItems().stream().anyMatch(i -> i.delete() != null)
                        && lostAnswers.getAndDecrement() > 0,
                true);
        var handler =
                new SubmitReportHandler(wiring().sender(realSqs).dynamo(flaky).build());
        Participant patient = TestRequests.newPatient();

        // WHEN a report is submitted, and the sweeper runs afterwards
        var response = handler.handleRequest(TestRequests.sample("submit-phq9.json", patient), null);
        String reportId = TestRequests.json(response).path("reportId").asText();
        var sweep = sweeper().handleRequest(Map.of(), null);

        // THEN the patient is told it is stored (its outbox item is gone: nothing is owed), once, on each queue once
        assertThat(lostAnswers.get()).as("the injected failure happened").isZero();
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(sweep).containsEntry("delivered", 0);
        assertStoredAndDeliveredOnce(patient, reportId);
    }

    @Test
    void aReportWhoseFunctionDiedHoldingTheLeaseIsDeliveredOnceTheLeaseRunsOut() {
        // GIVEN a request that stored its report, failed both sends, and then could not even release
        // its delivery lease (as if Lambda had killed it there): the client got no 201
        DynamoDbClient sweeperDynamo = stack.clientsFor("OutboxSweeperFunction").dynamo();
        DynamoDbClient noRelease = refusing((operation, request) -> operation.equals("updateItem"));
        MessageSender down = (url, body) -> {
            throw new IllegalStateException("injected: SQS unavailable");
        };
        var dying =
                new SubmitReportHandler(wiring().sender(down).dynamo(noRelease).build());
        Participant patient = TestRequests.newPatient();
        var event = TestRequests.sample("submit-pain-nrs.json", patient);
        var response = dying.handleRequest(event, null);
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(reports(stack, patient)).hasSize(1);
        String reportId = reports(stack, patient).get(0).get("reportId").s();

        // WHEN the sweeper runs while the dead request's lease still holds, and again after it ran out
        SubmitConfig config = SubmitConfig.fromEnv(stack.env("SubmitReportFunction"));
        // the sweeper function's own wiring, with its own role's clients
        SubmissionStore store = new SubmissionStore(
                sweeperDynamo,
                config.reportsTable(),
                new org.openepro.core.audit.AuditLog(sweeperDynamo, config.auditTable()),
                SubmissionService.IDEMPOTENCY_TTL);
        MutableClock clock = new MutableClock(java.time.Instant.now());
        OutboxSweeper sweeper = new OutboxSweeper(
                store,
                new ReportDelivery(
                        store,
                        new QueueDispatcher(
                                new SqsMessageSender(stack.clientsFor("OutboxSweeperFunction")
                                        .sqs()),
                                config.indexQueueUrl(),
                                config.alertQueueUrl())),
                java.time.Duration.ZERO,
                clock);
        OutboxSweeper.Sweep whileHeld = sweeper.sweep(() -> true);
        clock.advance(SubmissionService.DELIVERY_LEASE.plusSeconds(1));
        OutboxSweeper.Sweep afterLease = sweeper.sweep(() -> true);

        // THEN nobody delivers while the lease holds; afterwards the sweeper delivers once
        assertThat(whileHeld.delivered()).isZero();
        assertThat(whileHeld.skipped()).isEqualTo(1);
        assertThat(afterLease.delivered()).isEqualTo(1);
        assertThat(drain(stack, "IndexQueue"))
                .singleElement()
                .satisfies(m -> assertThat(
                                TestRequests.json(m.body()).path("reportId").asText())
                        .isEqualTo(reportId));
        assertThat(drain(stack, "AlertQueue")).hasSize(1);
        assertThat(outbox(stack, reportId)).isEmpty();

        // AND the app's retry gets the original report, and nothing is sent again
        var retry = handler(realSqs).handleRequest(event, null);
        assertThat(retry.getStatusCode()).isEqualTo(201);
        assertThat(TestRequests.json(retry).path("reportId").asText()).isEqualTo(reportId);
        assertThat(reports(stack, patient)).hasSize(1);
        assertThat(drain(stack, "IndexQueue")).isEmpty();
        assertThat(drain(stack, "AlertQueue")).isEmpty();
    }

    /**
     * submit-report's DynamoDB client, except that the calls {@code refuse} picks (by operation name
     * and request) fail with a 500, as a DynamoDB outage or a function killed mid-call would.
     */
    private DynamoDbClient refusing(BiPredicate<String, Object> refuse) {
        return failing(refuse, false);
    }

    /**
     * As {@link #refusing}, but when {@code afterItTookEffect} the call reaches DynamoDB and only its answer is
     * lost (the client times out on a write that went through).
     */
    private DynamoDbClient failing(BiPredicate<String, Object> refuse, boolean afterItTookEffect) {
        DynamoDbClient real = stack.clientsFor("SubmitReportFunction").dynamo();
        return (DynamoDbClient) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (args != null && args.length == 1 && args[0] instanceof Consumer) {
                        // the builder variants build the request and come back here with it
                        return InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    boolean fail = refuse.test(method.getName(), args == null ? null : args[0]);
                    if (fail && !afterItTookEffect) {
                        throw DynamoDbException.builder()
                                .message("injected: " + method.getName() + " refused")
                                .statusCode(500)
                                .build();
                    }
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (fail) {
                        throw ApiCallTimeoutException.create(4000);
                    }
                    return result;
                });
    }

    @Test
    void theSweeperDeliversWhatNoRetryCameBackFor() {
        // GIVEN both queues refuse the first sends, and the client never retries
        AtomicInteger left = new AtomicInteger(2);
        MessageSender down = (url, body) -> {
            if (left.getAndDecrement() > 0) {
                throw new IllegalStateException("injected: SQS unavailable");
            }
            realSqs.send(url, body);
        };
        var handler = handler(down);
        Participant patient = TestRequests.newPatient();
        var response = handler.handleRequest(TestRequests.sample("submit-gad7.json", patient), null);
        String reportId = TestRequests.json(response).path("reportId").asText();
        assertThat(drain(stack, "IndexQueue")).isEmpty();
        assertThat(drain(stack, "AlertQueue")).isEmpty();

        // WHEN the scheduled sweeper runs (twice, as it would every minute)
        var firstSweep = sweeper().handleRequest(Map.of(), null);
        var secondSweep = sweeper().handleRequest(Map.of(), null);

        // THEN the report reached both queues exactly once
        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(firstSweep).containsEntry("delivered", 1);
        assertThat(secondSweep).containsEntry("delivered", 0);
        assertStoredAndDeliveredOnce(patient, reportId);
    }

    @Test
    void aRepeatWhileTheFirstIsStillInFlightIsToldToRetryLater() throws Exception {
        // GIVEN a first request held inside its queue send
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MessageSender slow = (url, body) -> {
            sending.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            realSqs.send(url, body);
        };
        var handler = handler(slow);
        Participant patient = TestRequests.newPatient();
        var event = TestRequests.sample("submit-pain-nrs.json", patient);
        var firstResult = new java.util.concurrent.atomic.AtomicReference<Integer>();
        Thread first = Thread.ofVirtual()
                .start(() -> firstResult.set(handler.handleRequest(event, null).getStatusCode()));
        assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();

        // WHEN the app repeats it meanwhile
        var repeat = handler.handleRequest(event, null);
        release.countDown();
        first.join(10_000);

        // THEN the repeat is told to come back, and there is still one report
        assertThat(repeat.getStatusCode()).isEqualTo(409);
        assertThat(repeat.getHeaders()).containsKey("retry-after");
        assertThat(TestRequests.json(repeat).path("type").asText()).endsWith("/request-in-progress");
        assertThat(firstResult.get()).isEqualTo(201);
        assertThat(reports(stack, patient)).hasSize(1);
        assertThat(drain(stack, "IndexQueue")).hasSize(1);
    }

    /** The report is stored once, each queue has its message once (the index queue's names it), nothing is pending. */
    private void assertStoredAndDeliveredOnce(Participant patient, String reportId) {
        assertThat(reports(stack, patient)).hasSize(1);
        assertThat(drain(stack, "IndexQueue"))
                .singleElement()
                .satisfies(m -> assertThat(
                                TestRequests.json(m.body()).path("reportId").asText())
                        .isEqualTo(reportId));
        assertThat(drain(stack, "AlertQueue")).hasSize(1);
        assertThat(outbox(stack, reportId)).isEmpty();
    }

    private OutboxSweeperHandler sweeper() {
        Map<String, String> env = new HashMap<>(stack.env("OutboxSweeperFunction"));
        env.put("OUTBOX_GRACE_SECONDS", "0");
        return new OutboxSweeperHandler(
                SubmitWiring.builder(SubmitConfig.fromEnv(env), stack.clientsFor("OutboxSweeperFunction"))
                        .build());
    }
}
