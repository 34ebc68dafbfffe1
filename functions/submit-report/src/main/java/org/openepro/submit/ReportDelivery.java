package org.openepro.submit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.util.Set;
import org.openepro.core.json.Json;
import org.openepro.core.report.ReportMessage;
import org.openepro.submit.SubmissionStore.Outbox;

/**
 * Delivers what an outbox item still owes, for whoever holds its lease: the request that
 * stored the report, a client's retry, or the sweeper. Complete => the outbox item is gone.
 */
public final class ReportDelivery {
    private static final ObjectWriter MESSAGE = Json.writer(ReportMessage.class);

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
        String body;
        try {
            body = MESSAGE.writeValueAsString(new ReportMessage(outbox.reportId(), outbox.version(), outbox.studyId()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a report message", e);
        }
        Set<DeliveryTarget> delivered = dispatcher.deliver(body, outbox.pending(), outbox.reportId());
        if (delivered.containsAll(outbox.pending())) {
            try {
                store.complete(outbox);
                return true;
            } catch (RuntimeException completionFailed) {
                // the messages are out: record that, so a retry or the sweeper only completes and
                // never sends them again (if this write fails too, the consumers drop the repeat by report id)
                store.release(outbox, delivered);
                return false;
            }
        }
        store.release(outbox, delivered);
        return false;
    }
}
