package org.openepro.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only SQS handler with partial batch failures, driven by the message body's prefix:
 * {@code odd-} fails on its first delivery, {@code even-} succeeds, {@code poison-} always
 * fails, {@code throw-} makes the whole invocation throw on its first delivery.
 */
public final class FlakySqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        boolean throwBatch = false;
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            int receives = Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"));
            boolean fail = m.getBody().startsWith("poison-") || (m.getBody().startsWith("odd-") && receives == 1);
            throwBatch |= m.getBody().startsWith("throw-") && receives == 1;
            Map<String, Object> delivery = new LinkedHashMap<>();
            delivery.put("body", m.getBody());
            delivery.put("messageId", m.getMessageId());
            delivery.put("receiveCount", receives);
            delivery.put("batchSize", event.getRecords().size());
            delivery.put("failed", fail);
            delivery.put("eventSource", m.getEventSource());
            delivery.put("eventSourceArn", m.getEventSourceArn());
            delivery.put("attributes", m.getAttributes().keySet());
            SQSEvent.MessageAttribute study = m.getMessageAttributes() == null
                    ? null
                    : m.getMessageAttributes().get("studyId");
            delivery.put("studyId", study == null ? null : study.getStringValue());
            Witness.print("delivery", delivery);
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
