package org.openepro.alert;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.openepro.core.batch.QueueConsumer;
import org.openepro.core.message.AlertQueueMessage;
import org.openepro.core.message.MissedPatternMessage;
import org.openepro.core.message.ReportMessage;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.snapstart.Priming;

/**
 * SQS handler of the alert queue: evaluates clinical alert rules of stored reports, raises the
 * scheduler's missed-window alerts, and publishes each PHI-free alert to nurses once.
 */
public final class AlertHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final QueueConsumer<AlertQueueMessage> consumer;
    private final AlertRaiser raiser;
    private final Metrics metrics;

    /** Lambda's constructor: once per container, primed before a SnapStart snapshot. */
    public AlertHandler() {
        this(AlertWiring.fromEnv(System.getenv()), true);
    }

    public AlertHandler(AlertWiring wiring) {
        this(wiring, false);
    }

    private AlertHandler(AlertWiring wiring, boolean snapStart) {
        this.consumer = QueueConsumer.builder(
                        AlertQueueMessage.CODEC, wiring.config().batch().processor(), wiring.metrics())
                .oneAtATimePer(AlertQueueMessage::serialisedBy)
                .build();
        this.raiser = wiring.raiser();
        this.metrics = wiring.metrics();
        if (snapStart) {
            Priming.register(AlertWiring.SERVICE, wiring::prime);
        }
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return consumer.consume(event, context, (message, ctx) -> {
            AlertRaiser.Outcome outcome = switch (message) {
                case ReportMessage report -> raiser.raise(report);
                case MissedPatternMessage missed -> raiser.raise(missed);
            };
            metrics.count(Metric.ALERTS_PUBLISHED, outcome.published());
            metrics.count(Metric.ALERT_DUPLICATES_SUPPRESSED, outcome.duplicates());
        });
    }
}
