package org.openepro.core.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.openepro.core.lambda.FakeLambdaContext;
import org.openepro.core.log.Log;

class SqsBatchProcessorTest {
    private static final int BOUND = 3;

    @Test
    void runsAtMostTheConfiguredNumberOfRecordsAtOnceAndEveryRecordOnce() throws Exception {
        // GIVEN a batch of ten records, a bound of three, and records that hold until the test lets them go
        SqsBatchProcessor processor = new SqsBatchProcessor(BOUND, Duration.ofSeconds(5));
        SQSEvent batch = batch(10, i -> "{\"reportId\":\"r-" + i + "\"}");
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        CountDownLatch boundReached = new CountDownLatch(BOUND);
        CountDownLatch go = new CountDownLatch(1);
        Set<String> processed = ConcurrentHashMap.newKeySet();
        // the processor asks for the remaining time once before it starts each record: that counts admissions
        AtomicInteger admitted = new AtomicInteger();
        Context context = new FakeLambdaContext("req-1", () -> {
            admitted.incrementAndGet();
            return 60_000;
        });
        SqsBatchProcessor.RecordHandler handler = record -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                boundReached.countDown();
                if (!go.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never let go");
                }
                processed.add(record.getMessageId());
            } finally {
                inFlight.decrementAndGet();
            }
        };
        SQSBatchResponse[] response = new SQSBatchResponse[1];
        Thread batchThread = new Thread(() -> response[0] = processor.process(batch, context, handler), "batch");

        // WHEN it is processed
        batchThread.start();

        // THEN three records run at once, and the batch thread waits for a free slot instead of starting a fourth
        try {
            assertThat(boundReached.await(10, TimeUnit.SECONDS))
                    .as("three records in flight")
                    .isTrue();
            awaitWaiting(batchThread);
            assertThat(inFlight.get()).isEqualTo(BOUND);
            assertThat(admitted.get()).as("records started while three hold").isEqualTo(BOUND);
        } finally {
            go.countDown();
        }
        // AND once they are let go every record is handled once, never more than three at a time
        batchThread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(batchThread.isAlive()).isFalse();
        assertThat(response[0].getBatchItemFailures()).isEmpty();
        assertThat(processed).containsExactlyInAnyOrderElementsOf(ids(batch));
        assertThat(admitted.get()).isEqualTo(10);
        assertThat(maxInFlight.get()).isEqualTo(BOUND).isGreaterThan(1);
    }

    /** Until the thread parks (at the semaphore, or on the started records' results). */
    private static void awaitWaiting(Thread thread) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("batch thread parks").isLessThan(giveUp);
            Thread.onSpinWait();
        }
    }

    @Test
    void anUnexpectedExceptionFailsOnlyItsRecordAndIsLoggedWithoutPayloadOrMessage() {
        // GIVEN a batch whose second record names a person, and whose handler quotes that name in an exception
        String name = "Margaret Thistlewood";
        String poisonBody = "{\"reportId\":\"r-1\",\"note\":\"called by " + name + "\"}";
        SQSEvent batch = batch(3, i -> i == 1 ? poisonBody : "{\"reportId\":\"r-" + i + "\"}");
        String poisonId = batch.getRecords().get(1).getMessageId();
        Set<String> processed = ConcurrentHashMap.newKeySet();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();

        // WHEN it is processed
        SQSBatchResponse response;
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            response = new SqsBatchProcessor(BOUND, Duration.ofSeconds(5)).process(batch, null, record -> {
                if (record.getBody().contains(name)) {
                    throw new IllegalArgumentException("cannot read the answer of " + name + ": " + record.getBody());
                }
                processed.add(record.getMessageId());
            });
        } finally {
            Log.redirect(System.out);
        }

        // THEN only that record fails (it comes back); the others were processed
        assertThat(response.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(poisonId);
        assertThat(processed)
                .containsExactlyInAnyOrder(
                        batch.getRecords().get(0).getMessageId(),
                        batch.getRecords().get(2).getMessageId());
        // AND the log says which message failed and with what type of error, but neither the name nor the body
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log)
                .contains("batch.record.failed")
                .contains(poisonId)
                .contains(IllegalArgumentException.class.getName())
                .doesNotContain("Thistlewood")
                .doesNotContain(poisonBody)
                .doesNotContain("called by");
    }

    private static SQSEvent batch(int size, IntFunction<String> body) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("059f36b4-87a3-44ab-83d2-66197159000" + i);
            m.setBody(body.apply(i));
            m.setEventSource("aws:sqs");
            records.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static List<String> ids(SQSEvent event) {
        return event.getRecords().stream()
                .map(SQSEvent.SQSMessage::getMessageId)
                .toList();
    }
}
