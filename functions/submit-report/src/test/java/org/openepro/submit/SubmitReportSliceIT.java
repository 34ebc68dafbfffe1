package org.openepro.submit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.local.aws.AwsEmulatorExtension;
import org.openepro.local.aws.EmulatedStack;
import org.openepro.local.aws.SampleEvents;

@ExtendWith(AwsEmulatorExtension.class)
class SubmitReportSliceIT {

    @Test
    void storesTheReportAndEnqueuesIndexAndAlertWork(EmulatedStack stack) {
        // GIVEN the handler wired exactly as the template wires SubmitReportFunction
        var handler = new SubmitReportHandler(stack.env("SubmitReportFunction"), stack.clients());

        // WHEN a patient's sample submission arrives
        var response = handler.handleRequest(SampleEvents.httpApi("submit-phq9.json"), null);

        // THEN it is stored and one message waits on each queue
        assertThat(response.getStatusCode()).isEqualTo(201);
        var items = stack.clients().dynamo().scan(b -> b.tableName(stack.ref("ReportsTable"))).items();
        assertThat(items).anySatisfy(item -> assertThat(item.get("studyId").s()).isEqualTo("STUDY-001"));
        for (String queue : new String[] {"IndexQueue", "AlertQueue"}) {
            var messages = stack.clients().sqs().receiveMessage(b -> b.queueUrl(stack.ref(queue))
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            assertThat(messages).hasSize(1);
        }
    }
}
