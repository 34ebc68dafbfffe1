package org.openepro.runtime;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openepro.core.json.Json;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The second half of Lambda's SQS event source mapping (the first is {@link org.openepro.emulator.SqsEvents}):
 * the handler's answer as the messages to delete, with partial batch failures.
 */
public final class BatchDeletions {
    private static final ObjectMapper RESPONSE = new ObjectMapper();

    private BatchDeletions() {}

    /**
     * The messages Lambda deletes after a successful invocation. Without ReportBatchItemFailures:
     * all. With it: all but the reported ones; an empty or null response means all succeeded; a
     * response Lambda cannot read (an unknown, null or empty itemIdentifier, or not the batch
     * response's shape) fails the whole batch, so nothing is deleted.
     */
    public static List<Message> toDelete(List<Message> batch, byte[] response, boolean reportsBatchItemFailures) {
        if (!reportsBatchItemFailures || response == null || response.length == 0) {
            return batch;
        }
        Object parsed;
        try {
            parsed = RESPONSE.readValue(response, Object.class);
        } catch (IOException notJson) {
            return List.of();
        }
        return toDelete(batch, parsed, true);
    }

    /** As {@link #toDelete(List, byte[], boolean)}, for a response already read. */
    public static List<Message> toDelete(List<Message> batch, Object response, boolean reportsBatchItemFailures) {
        if (!reportsBatchItemFailures || response == null) {
            return batch;
        }
        SQSBatchResponse answer;
        if (response instanceof SQSBatchResponse r) {
            answer = r;
        } else {
            try {
                answer = Json.mapper().convertValue(response, SQSBatchResponse.class);
            } catch (IllegalArgumentException notABatchResponse) {
                return List.of();
            }
        }
        if (answer == null
                || answer.getBatchItemFailures() == null
                || answer.getBatchItemFailures().isEmpty()) {
            return batch;
        }
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        Set<String> failed = new HashSet<>();
        for (SQSBatchResponse.BatchItemFailure f : answer.getBatchItemFailures()) {
            String id = f == null ? null : f.getItemIdentifier();
            if (id == null || id.isEmpty() || !ids.contains(id)) {
                return List.of();
            }
            failed.add(id);
        }
        return batch.stream().filter(m -> !failed.contains(m.messageId())).toList();
    }
}
