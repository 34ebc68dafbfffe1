package org.openepro.core.batch;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import org.openepro.core.log.Log;
import org.openepro.core.metrics.Metrics;
import org.openepro.core.report.ReportMessage;
import org.openepro.core.report.ReportMessageCodec;

/**
 * The batch loop of the functions that consume {@link ReportMessage}s (index-report, alert):
 * each record's body is decoded (a broken one fails that record only), records for the same
 * report run one after the other (two messages for one report after a producer retry must not
 * race for the same conditional write), the rest concurrently through {@link SqsBatchProcessor};
 * failures are counted and the invocation's metrics flushed once. One instance per container.
 */
public final class ReportMessageConsumer {
    /** The function's work for one message; throwing fails that record only. */
    @FunctionalInterface
    public interface Work {
        void accept(ReportMessage message) throws Exception;
    }

    private final SqsBatchProcessor processor;
    private final StripedLocks sameReport = new StripedLocks(64);
    private final Metrics metrics;

    public ReportMessageConsumer(SqsBatchProcessor processor, Metrics metrics) {
        this.processor = processor;
        this.metrics = metrics;
    }

    public SQSBatchResponse consume(SQSEvent event, Context context, Work work) {
        Log.requestId(context == null ? null : context.getAwsRequestId());
        try {
            SQSBatchResponse response = processor.process(event, context, record -> {
                ReportMessage message = ReportMessageCodec.parse(record.getBody());
                sameReport.call(message.reportId(), () -> {
                    work.accept(message);
                    return null;
                });
            });
            metrics.count("RecordsFailed", response.getBatchItemFailures().size());
            metrics.flush();
            return response;
        } finally {
            Log.requestId(null);
        }
    }
}
