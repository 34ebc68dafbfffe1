package org.openepro.submit;

import java.util.Set;
import org.openepro.core.message.ReportMessage;
import org.openepro.submit.SubmissionStore.Outbox;

/**
 * Delivers what an outbox item still owes, for whoever holds its lease: the request that
 * stored the report, a client's retry, or the sweeper. Complete => the outbox item is gone.
 */
public final class ReportDelivery {
    private final SubmissionStore store;
    private final QueueDispatcher dispatcher;

    public ReportDelivery(SubmissionStore store, QueueDispatcher dispatcher) {
        this.store = store;
        this.dispatcher = dispatcher;
    }

    /** @return true when every queue has the message and the submission is complete */
    public boolean deliver(Outbox outbox) {
        if (outbox.pending().isEmpty()) {
            store.complete(outbox);
            return true;
        }
        String body =
                ReportMessage.CODEC.encode(new ReportMessage(outbox.reportId(), outbox.version(), outbox.studyId()));
        Set<DeliveryTarget> delivered = dispatcher.deliver(body, outbox.pending(), outbox.reportId());
        if (delivered.containsAll(outbox.pending())) {
            try {
                store.complete(outbox);
                return true;
            } catch (RuntimeException completionFailed) {
                // the messages are out: record that, so a retry or the sweeper only completes and
                // never sends them again (if this write fails too, the consumers drop the repeat by report id);
                // an outbox item already gone means the completion took effect after all
                return !store.release(outbox, delivered);
            }
        }
        // gone: another lease holder completed it, nothing is owed
        return !store.release(outbox, delivered);
    }
}
