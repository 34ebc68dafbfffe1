package org.openepro.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class BatchDeletionsTest {
    private static final String ARN = "arn:aws:sqs:eu-west-1:123456789012:index";
    private static final Message M1 = message("m1");
    private static final Message M2 = message("m2");
    private static final Message M3 = message("m3");
    private static final List<Message> BATCH = List.of(M1, M2, M3);

    @Test
    void mapsReceivedMessagesToTheRecordsLambdaDelivers() {
        Message m = Message.builder().messageId("id-1").receiptHandle("rh-1").body("{\"reportId\":\"r1\"}")
                .md5OfBody("md5").md5OfMessageAttributes("md5a")
                .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2",
                        MessageSystemAttributeName.SENT_TIMESTAMP, "1795772400000"))
                .messageAttributes(Map.of(
                        "studyId", MessageAttributeValue.builder().dataType("String").stringValue("S1").build(),
                        "blob", MessageAttributeValue.builder().dataType("Binary")
                                .binaryValue(SdkBytes.fromByteArray(new byte[] {1, 2})).build()))
                .build();

        SQSEvent event = org.openepro.local.aws.SqsEvents.toEvent(List.of(m), ARN, "eu-west-1");

        SQSEvent.SQSMessage r = event.getRecords().get(0);
        assertThat(r.getMessageId()).isEqualTo("id-1");
        assertThat(r.getReceiptHandle()).isEqualTo("rh-1");
        assertThat(r.getBody()).isEqualTo("{\"reportId\":\"r1\"}");
        assertThat(r.getMd5OfBody()).isEqualTo("md5");
        assertThat(r.getMd5OfMessageAttributes()).isEqualTo("md5a");
        assertThat(r.getAttributes()).containsEntry("ApproximateReceiveCount", "2")
                .containsEntry("SentTimestamp", "1795772400000");
        assertThat(r.getMessageAttributes().get("studyId").getStringValue()).isEqualTo("S1");
        assertThat(r.getMessageAttributes().get("studyId").getDataType()).isEqualTo("String");
        assertThat(r.getMessageAttributes().get("blob").getBinaryValue().remaining()).isEqualTo(2);
        assertThat(r.getEventSource()).isEqualTo("aws:sqs");
        assertThat(r.getEventSourceArn()).isEqualTo(ARN);
        assertThat(r.getAwsRegion()).isEqualTo("eu-west-1");
    }

    @Test
    void deletesAllButTheReportedFailures() {
        assertThat(BatchDeletions.toDelete(BATCH, failures("m2"), true)).containsExactly(M1, M3);
    }

    @Test
    void aNullOrEmptyResponseMeansTheWholeBatchSucceeded() {
        assertThat(BatchDeletions.toDelete(BATCH, null, true)).isEqualTo(BATCH);
        assertThat(BatchDeletions.toDelete(BATCH, new SQSBatchResponse(List.of()), true)).isEqualTo(BATCH);
        assertThat(BatchDeletions.toDelete(BATCH, new SQSBatchResponse(null), true)).isEqualTo(BATCH);
    }

    @Test
    void aFailureLambdaCannotReadFailsTheWholeBatch() {
        assertThat(BatchDeletions.toDelete(BATCH, failures("not-in-batch"), true)).isEmpty();
        assertThat(BatchDeletions.toDelete(BATCH, failures(""), true)).isEmpty();
        assertThat(BatchDeletions.toDelete(BATCH, failures((String) null), true)).isEmpty();
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
        return Message.builder().messageId(id).receiptHandle("rh-" + id).body(id).build();
    }
}
