package org.openepro.submit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.openepro.core.log.Log;
import org.openepro.submit.SubmissionStore.Claim;

/**
 * Delivers what submissions stored but could not enqueue: every outbox item older than the
 * grace period (so requests still delivering are left alone) is claimed, then delivered.
 */
public final class OutboxSweeper {
    private static final Log LOG = Log.get(OutboxSweeper.class);

    private final SubmissionStore store;
    private final ReportDelivery delivery;
    private final Duration grace;
    private final Clock clock;

    public OutboxSweeper(SubmissionStore store, ReportDelivery delivery, Duration grace, Clock clock) {
        this.store = store;
        this.delivery = delivery;
        this.grace = grace;
        this.clock = clock;
    }

    /** What one sweep did. */
    public record Sweep(int delivered, int deferred, int skipped) {}

    public Sweep sweep(BooleanSupplier keepGoing) {
        Instant now = clock.instant();
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger deferred = new AtomicInteger();
        AtomicInteger skipped = new AtomicInteger();
        store.pendingBefore(
                now.minus(grace),
                25,
                outbox -> {
                    Claim claim = store.claim(
                            outbox.reportId(), outbox.version(), clock.instant(), SubmissionService.DELIVERY_LEASE);
                    if (claim instanceof Claim.Claimed claimed) {
                        if (delivery.deliver(claimed.outbox())) {
                            delivered.incrementAndGet();
                            LOG.info("outbox.delivered", "reportId", outbox.reportId(), "version", outbox.version());
                        } else {
                            deferred.incrementAndGet();
                        }
                    } else {
                        skipped.incrementAndGet();
                    }
                },
                keepGoing);
        return new Sweep(delivered.get(), deferred.get(), skipped.get());
    }
}
