package org.openepro.core.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.Objects;
import java.util.function.Function;
import org.openepro.core.log.Log;
import org.openepro.core.message.MessageCodec;
import org.openepro.core.message.UndecodableMessageException;
import org.openepro.core.metrics.Metric;
import org.openepro.core.metrics.Metrics;

/**
 * The one adapter between an SQS event source and a queue function (after Powertools' batch
 * module): the handler is its constructor plus {@code return consumer.consume(event, context, work)}.
 *
 * <p>Per invocation it tags the log lines with Lambda's request id, decodes each record's body
 * with the queue's {@link MessageCodec}, hands each message to the function's work through
 * {@link SqsBatchProcessor} (partial batch failures, bounded concurrency, no record started near
 * the deadline), counts {@link Metric#RECORDS_FAILED} and flushes the metrics once.
 *
 * <p>An undecodable body fails its record only, is logged {@code message.undecodable} with its
 * message id and the codec's reason (never the body) and counted {@link Metric#MESSAGES_UNDECODABLE};
 * SQS redrives it to the dead-letter queue after {@code maxReceiveCount} receives. Nothing is dropped.
 *
 * <pre>{@code
 * consumer = QueueConsumer.builder(ReportMessage.CODEC, config.batch().processor(), metrics)
 *         .oneAtATimePer(ReportMessage::reportId)
 *         .build();
 * ...
 * return consumer.consume(event, context, (message, ctx) -> indexer.index(message));
 * }</pre>
 * One instance per container; thread-safe.
 */
public final class QueueConsumer<M> {
    private static final Log LOG = Log.get(QueueConsumer.class);

    /** The function's work for one message; throwing fails that record only, and it comes back. */
    @FunctionalInterface
    public interface Work<M> {
        void accept(M message, Context context) throws Exception;
    }

    private final MessageCodec<M> codec;
    private final SqsBatchProcessor processor;
    private final Metrics metrics;
    private final Function<M, String> serialisedBy;
    private final StripedLocks locks;

    private QueueConsumer(Builder<M> b) {
        this.codec = b.codec;
        this.processor = b.processor;
        this.metrics = b.metrics;
        this.serialisedBy = b.serialisedBy;
        this.locks = b.serialisedBy == null ? null : new StripedLocks(64);
    }

    public static <M> Builder<M> builder(MessageCodec<M> codec, SqsBatchProcessor processor, Metrics metrics) {
        return new Builder<>(codec, processor, metrics);
    }

    public SQSBatchResponse consume(SQSEvent event, Context context, Work<M> work) {
        Log.requestId(context == null ? null : context.getAwsRequestId());
        try {
            SQSBatchResponse response = processor.process(event, context, record -> {
                M message = decode(record);
                if (locks == null) {
                    work.accept(message, context);
                } else {
                    locks.call(serialisedBy.apply(message), () -> {
                        work.accept(message, context);
                        return null;
                    });
                }
            });
            metrics.count(Metric.RECORDS_FAILED, response.getBatchItemFailures().size());
            return response;
        } finally {
            metrics.flush();
            Log.requestId(null);
        }
    }

    private M decode(SQSEvent.SQSMessage record) {
        try {
            return codec.decode(record.getBody());
        } catch (UndecodableMessageException e) {
            metrics.count(Metric.MESSAGES_UNDECODABLE, 1);
            String receives = record.getAttributes() == null
                    ? null
                    : record.getAttributes().get("ApproximateReceiveCount");
            LOG.warn(
                    "message.undecodable",
                    "messageId",
                    record.getMessageId(),
                    "type",
                    codec.type(),
                    "reason",
                    e.getMessage(),
                    "receiveCount",
                    receives);
            throw e;
        }
    }

    /** A queue function's consumer. */
    public static final class Builder<M> {
        private final MessageCodec<M> codec;
        private final SqsBatchProcessor processor;
        private final Metrics metrics;
        private Function<M, String> serialisedBy;

        private Builder(MessageCodec<M> codec, SqsBatchProcessor processor, Metrics metrics) {
            this.codec = Objects.requireNonNull(codec, "codec");
            this.processor = Objects.requireNonNull(processor, "processor");
            this.metrics = Objects.requireNonNull(metrics, "metrics");
        }

        /**
         * Records whose messages share this key run one after the other in this container (two
         * messages for one report after a producer retry must not race for the same conditional
         * write); the rest run concurrently.
         */
        public Builder<M> oneAtATimePer(Function<M, String> key) {
            this.serialisedBy = Objects.requireNonNull(key, "key");
            return this;
        }

        public QueueConsumer<M> build() {
            return new QueueConsumer<>(this);
        }
    }
}
