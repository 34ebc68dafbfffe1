package org.openepro.alert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.local.aws.AwsEmulatorExtension;
import org.openepro.local.aws.EmulatedStack;

@ExtendWith(AwsEmulatorExtension.class)
class PrimingIT {

    @Test
    void primingEvaluatesEveryRuleAndRaisesNothing(EmulatedStack stack) {
        AlertHandler.prime(AlertConfig.fromEnv(stack.env("AlertFunction")), stack.clients());

        assertThat(stack.clients().dynamo().scan(b -> b.tableName(stack.ref("AlertsTable"))).items()).isEmpty();
    }
}
