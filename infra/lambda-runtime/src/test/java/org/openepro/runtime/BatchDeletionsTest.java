package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

class BatchDeletionsTest {
    private static final Message M1 = message("m1");
    private static final Message M2 = message("m2");
    private static final Message M3 = message("m3");
    private static final List<Message> BATCH = List.of(M1, M2, M3);

    @Test
    void deletesAllButTheReportedFailures() {
        assertThat(BatchDeletions.toDelete(BATCH, failures("m2"), true)).containsExactly(M1, M3);
    }

    @Test
    void readsTheBatchResponseAsTheFunctionsRuntimeClientSendsIt() {
        byte[] response = "{\"batchItemFailures\":[{\"itemIdentifier\":\"m2\"}]}".getBytes(StandardCharsets.UTF_8);

        assertThat(BatchDeletions.toDelete(BATCH, response, true)).containsExactly(M1, M3);
    }

    @Test
    void aResponseThatIsNotJsonFailsTheWholeBatch() {
        assertThat(BatchDeletions.toDelete(BATCH, "oops".getBytes(StandardCharsets.UTF_8), true))
                .isEmpty();
    }

    @Test
    void aNullOrEmptyResponseMeansTheWholeBatchSucceeded() {
        assertThat(BatchDeletions.toDelete(BATCH, (byte[]) null, true)).isEqualTo(BATCH);
        assertThat(BatchDeletions.toDelete(BATCH, "null".getBytes(StandardCharsets.UTF_8), true))
                .isEqualTo(BATCH);
        assertThat(BatchDeletions.toDelete(BATCH, new SQSBatchResponse(List.of()), true))
                .isEqualTo(BATCH);
        assertThat(BatchDeletions.toDelete(BATCH, new SQSBatchResponse(null), true))
                .isEqualTo(BATCH);
    }

    @Test
    void aFailureLambdaCannotReadFailsTheWholeBatch() {
        assertThat(BatchDeletions.toDelete(BATCH, failures("not-in-batch"), true))
                .isEmpty();
        assertThat(BatchDeletions.toDelete(BATCH, failures(""), true)).isEmpty();
        assertThat(BatchDeletions.toDelete(BATCH, failures((String) null), true))
                .isEmpty();
    }

    @Test
    void readsABatchResponseReturnedAsAMap() {
        Object map = Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "m1")));

        assertThat(BatchDeletions.toDelete(BATCH, map, true)).containsExactly(M2, M3);
    }

    @Test
    void withoutReportBatchItemFailuresTheResponseIsIgnored() {
        assertThat(BatchDeletions.toDelete(BATCH, failures("m1", "m2"), false)).isEqualTo(BATCH);
    }

    private static SQSBatchResponse failures(String... ids) {
        List<SQSBatchResponse.BatchItemFailure> list = new ArrayList<>();
        for (String id : ids) {
            list.add(new SQSBatchResponse.BatchItemFailure(id));
        }
        return new SQSBatchResponse(list);
    }

    private static Message message(String id) {
        return Message.builder()
                .messageId(id)
                .receiptHandle("rh-" + id)
                .body(id)
                .build();
    }
}
