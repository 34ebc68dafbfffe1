package org.openepro.submit;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.openepro.core.log.Log;

/**
 * Sends a report's message to its pending queues at the same time (one virtual thread each),
 * and says which ones accepted it.
 */
public final class QueueDispatcher {
    private static final Log LOG = Log.get(QueueDispatcher.class);

    private final MessageSender sender;
    private final Map<DeliveryTarget, String> queueUrls;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public QueueDispatcher(MessageSender sender, String indexQueueUrl, String alertQueueUrl) {
        this.sender = sender;
        this.queueUrls =
                new EnumMap<>(Map.of(DeliveryTarget.INDEX, indexQueueUrl, DeliveryTarget.ALERT, alertQueueUrl));
    }

    /** Starts the virtual-thread scheduler (for SnapStart priming): nothing is sent. */
    public void warmUp() {
        try {
            executor.submit(() -> {}).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** @return the targets that accepted the message (all of {@code pending} on success) */
    public Set<DeliveryTarget> deliver(String body, Set<DeliveryTarget> pending, String reportId) {
        Map<DeliveryTarget, Future<?>> sends = new EnumMap<>(DeliveryTarget.class);
        for (DeliveryTarget t : pending) {
            String url = queueUrls.get(t);
            sends.put(t, executor.submit(() -> sender.send(url, body)));
        }
        Set<DeliveryTarget> delivered = EnumSet.noneOf(DeliveryTarget.class);
        for (Map.Entry<DeliveryTarget, Future<?>> e : sends.entrySet()) {
            try {
                e.getValue().get();
                delivered.add(e.getKey());
            } catch (ExecutionException failure) {
                LOG.error(
                        "delivery.failed",
                        failure.getCause(),
                        "reportId",
                        reportId,
                        "queue",
                        e.getKey().code());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                LOG.warn(
                        "delivery.interrupted",
                        "reportId",
                        reportId,
                        "queue",
                        e.getKey().code());
            }
        }
        return delivered;
    }
}
