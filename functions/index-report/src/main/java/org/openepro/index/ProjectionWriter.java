package org.openepro.index;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.openepro.core.dynamo.Cancellation;
import org.openepro.core.log.Log;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Applies an {@link IndexTransaction} exactly once, reading DynamoDB's cancellation reasons:
 * <ul>
 *   <li>marker condition failed: this version was applied before (a redelivery or a producer's
 *       duplicate), so it succeeds having written nothing;</li>
 *   <li>report row condition failed: a newer version is already projected, so the counters are
 *       applied without the rows;</li>
 *   <li>transaction conflict (another record of the batch is updating the same counter): retried
 *       after a short jittered pause, a bounded number of times.</li>
 * </ul>
 * Anything else fails the record, which SQS then delivers again.
 */
public final class ProjectionWriter {
    /** What applying a version did. */
    public enum Outcome {
        /** Marker, counters and rows written. */
        APPLIED,
        /** Marker and counters written; a newer version's rows were already there. */
        COUNTED_ONLY,
        /** Nothing written: this version had been applied before. */
        ALREADY_APPLIED
    }

    private static final Log LOG = Log.get(ProjectionWriter.class);

    private final DynamoDbClient dynamo;
    private final int maxAttempts;
    private final Duration conflictPause;

    public ProjectionWriter(DynamoDbClient dynamo, int maxAttempts, Duration conflictPause) {
        this.dynamo = dynamo;
        this.maxAttempts = maxAttempts;
        this.conflictPause = conflictPause;
    }

    public Outcome apply(IndexTransaction tx) {
        boolean withRows = true;
        for (int attempt = 1; ; attempt++) {
            var items = tx.items(withRows);
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
                return withRows ? Outcome.APPLIED : Outcome.COUNTED_ONLY;
            } catch (TransactionCanceledException e) {
                Cancellation cancellation = Cancellation.of(e);
                if (cancellation.conditionFailedAt(IndexTransaction.MARKER)) {
                    return Outcome.ALREADY_APPLIED;
                }
                if (withRows && cancellation.conditionFailedAt(IndexTransaction.REPORT_ROW)) {
                    withRows = false;
                    continue;
                }
                if (!cancellation.conflict() || attempt >= maxAttempts) {
                    throw e;
                }
                LOG.debug("index.transaction.conflict", "attempt", attempt);
                pause(attempt);
            }
        }
    }

    private void pause(int attempt) {
        long base = conflictPause.toMillis() * attempt;
        if (base <= 0) {
            return;
        }
        try {
            Thread.sleep(base + ThreadLocalRandom.current().nextLong(base));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a conflicting transaction", e);
        }
    }
}
