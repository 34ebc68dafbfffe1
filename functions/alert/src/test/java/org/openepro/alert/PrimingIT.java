package org.openepro.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.core.report.SyntheticReports;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsEmulatorExtension.class)
class PrimingIT {

    @Test
    void primingEvaluatesEveryRuleAndRaisesNothing(EmulatedStack stack) {
        AlertWiring.builder(AlertConfig.fromEnv(stack.env("AlertFunction")), stack.clientsFor("AlertFunction"))
                .build()
                .prime();

        assertThat(stack.clients()
                        .dynamo()
                        .scan(b -> b.tableName(stack.ref("AlertsTable"))
                                .filterExpression("reportId = :r OR studyId = :s")
                                .expressionAttributeValues(Map.of(
                                        ":r",
                                        AttributeValue.fromS(SyntheticReports.PRIMING_ID),
                                        ":s",
                                        AttributeValue.fromS("PRIMING"))))
                        .items())
                .isEmpty();
    }
}
