package org.openepro.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openepro.core.aws.AwsClients;

/**
 * Test-only SQS handler with partial batch failures, driven by the message body's prefix:
 * {@code odd-} fails on its first delivery, {@code even-} succeeds, {@code poison-} always
 * fails, {@code throw-} makes the whole invocation throw on its first delivery.
 */
public final class FlakySqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** One record as delivered, and whether this handler reported it as failed. */
    public record Delivery(SQSEvent.SQSMessage record, int batchSize, boolean failed) {
        public String body() {
            return record.getBody();
        }

        public int receiveCount() {
            return Integer.parseInt(record.getAttributes().get("ApproximateReceiveCount"));
        }
    }

    public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    public FlakySqsHandler(Map<String, String> env, AwsClients aws) {
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        boolean throwBatch = false;
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            int receives = Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"));
            boolean fail = m.getBody().startsWith("poison-") || (m.getBody().startsWith("odd-") && receives == 1);
            throwBatch |= m.getBody().startsWith("throw-") && receives == 1;
            deliveries.add(new Delivery(m, event.getRecords().size(), fail));
            if (fail) {
                failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        if (throwBatch) {
            throw new IllegalStateException("the whole batch fails");
        }
        return new SQSBatchResponse(failures);
    }
}
