package org.openepro.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsEmulatorExtension.class)
class PrimingIT {

    @Test
    void primingExercisesTheHotPathAndWritesNothing(EmulatedStack stack) {
        IndexWiring.of(
                        IndexConfig.fromEnv(stack.env("IndexReportFunction")),
                        stack.clientsFor("IndexReportFunction"),
                        Clock.systemUTC())
                .prime();

        assertThat(stack.clients()
                        .dynamo()
                        .scan(b -> b.tableName(stack.ref("ProjectionsTable"))
                                .filterExpression("contains(pk, :p)")
                                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("PRIMING"))))
                        .items())
                .isEmpty();
    }
}
