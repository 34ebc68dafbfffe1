package org.openepro.core.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openepro.core.log.Log;

/**
 * Processes an SQS batch with partial-failure semantics (Lambda {@code ReportBatchItemFailures}):
 * only the records that failed are reported, so only they come back.
 *
 * <ul>
 *   <li>Records run concurrently on virtual threads, at most {@code concurrency} at a time.</li>
 *   <li>An exception in one record fails that record only; it is logged by type, never with the payload.</li>
 *   <li>When the invocation's remaining time falls below {@code deadlineMargin}, no further record is
 *       started; the unstarted ones are reported as failures and come back, instead of the function
 *       being killed in the middle of a write.</li>
 * </ul>
 * One instance per container; thread-safe.
 */
public final class SqsBatchProcessor {
    /** Handles one record; throwing fails that record only. */
    @FunctionalInterface
    public interface RecordHandler {
        void handle(SQSEvent.SQSMessage message) throws Exception;
    }

    private static final Log LOG = Log.get(SqsBatchProcessor.class);

    private final int concurrency;
    private final Duration deadlineMargin;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public SqsBatchProcessor(int concurrency, Duration deadlineMargin) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.concurrency = concurrency;
        this.deadlineMargin = deadlineMargin;
    }

    public SQSBatchResponse process(SQSEvent event, Context context, RecordHandler handler) {
        List<SQSEvent.SQSMessage> records =
                event == null || event.getRecords() == null ? List.of() : event.getRecords();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        Semaphore permits = new Semaphore(concurrency);
        AtomicBoolean outOfTime = new AtomicBoolean();
        List<Future<Boolean>> started = new ArrayList<>(records.size());
        List<SQSEvent.SQSMessage> startedRecords = new ArrayList<>(records.size());
        Log.RequestIds requestIds = Log.currentRequestIds();

        for (SQSEvent.SQSMessage record : records) {
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outOfTime.set(true);
            }
            if (outOfTime.get() || nearDeadline(context)) {
                outOfTime.set(true);
                permits.release();
                failures.add(failure(record));
                continue;
            }
            startedRecords.add(record);
            started.add(executor.submit(() -> {
                Log.requestIds(requestIds);
                try {
                    handler.handle(record);
                    return true;
                } catch (Exception | Error e) {
                    LOG.error("batch.record.failed", e, "messageId", record.getMessageId());
                    return false;
                } finally {
                    Log.requestIds(null);
                    permits.release();
                }
            }));
        }
        for (int i = 0; i < started.size(); i++) {
            boolean ok;
            try {
                ok = started.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
            } catch (Exception e) {
                ok = false;
            }
            if (!ok) {
                failures.add(failure(startedRecords.get(i)));
            }
        }
        if (outOfTime.get()) {
            LOG.warn(
                    "batch.deadline.stopped",
                    "unstarted",
                    records.size() - started.size(),
                    "marginMs",
                    deadlineMargin.toMillis());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private boolean nearDeadline(Context context) {
        return context != null && context.getRemainingTimeInMillis() < deadlineMargin.toMillis();
    }

    private static SQSBatchResponse.BatchItemFailure failure(SQSEvent.SQSMessage record) {
        return SQSBatchResponse.BatchItemFailure.builder()
                .withItemIdentifier(record.getMessageId())
                .build();
    }
}
