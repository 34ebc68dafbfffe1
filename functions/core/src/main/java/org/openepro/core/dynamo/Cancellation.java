package org.openepro.core.dynamo;

import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Why DynamoDB cancelled a transaction, read per item: DynamoDB gives one reason for each item in
 * the order they were sent, so callers ask by the named position each item was put at (e.g.
 * {@code SubmissionStore.CommitItem}), never by a bare index. The one place the reason codes are spelled.
 */
public final class Cancellation {
    public static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    public static final String TRANSACTION_CONFLICT = "TransactionConflict";

    private final List<CancellationReason> reasons;

    private Cancellation(List<CancellationReason> reasons) {
        this.reasons = reasons;
    }

    public static Cancellation of(TransactionCanceledException e) {
        return new Cancellation(e.hasCancellationReasons() ? e.cancellationReasons() : List.of());
    }

    /** Whether the condition of the item sent at {@code position} failed. */
    public boolean conditionFailedAt(int position) {
        return position < reasons.size()
                && CONDITIONAL_CHECK_FAILED.equals(reasons.get(position).code());
    }

    /** Whether another transaction on the same items was in flight (worth a retry). */
    public boolean conflict() {
        return reasons.stream().anyMatch(r -> TRANSACTION_CONFLICT.equals(r.code()));
    }
}
