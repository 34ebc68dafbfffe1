package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openepro.export.stream.ObjectEncryption;

class ExportWorkerConfigTest {

    private static Map<String, String> env(String partMib) {
        Map<String, String> env = new HashMap<>(Map.of(
                "PROJECTIONS_TABLE",
                "p",
                "REPORTS_TABLE",
                "r",
                "EXPORTS_TABLE",
                "e",
                "AUDIT_TABLE",
                "a",
                "EXPORT_QUEUE_URL",
                "q",
                "EXPORT_BUCKET",
                "b",
                "QUESTIONNAIRES_TABLE",
                "qs",
                "SCHEDULE_TABLE",
                "s"));
        if (partMib != null) {
            env.put("EXPORT_PART_MIB", partMib);
        }
        return env;
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "12", "16"})
    void partBuffersOfEightToSixteenMibAreAccepted(String mib) {
        assertThat(ExportWorkerConfig.fromEnv(env(mib)).partBytes()).isEqualTo(Integer.parseInt(mib) * 1024 * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "7", "17", "64"})
    void aDeployedWorkerRefusesPartBuffersOutsideEightToSixteenMib(String mib) {
        assertThatThrownBy(() -> ExportWorkerConfig.fromEnv(env(mib)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EXPORT_PART_MIB");
    }

    @org.junit.jupiter.api.Test
    void objectsAreSseS3WithoutADataKeyAndSseKmsUnderItWithOne() {
        Map<String, String> none = env(null);
        Map<String, String> empty = env(null);
        empty.put("EXPORT_KMS_KEY_ARN", "");
        Map<String, String> keyed = env(null);
        keyed.put("EXPORT_KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");

        assertThat(ExportWorkerConfig.fromEnv(none).encryption()).isEqualTo(ObjectEncryption.S3_MANAGED);
        // the template passes DataKeyArn as it is, so an empty parameter arrives as an empty variable
        assertThat(ExportWorkerConfig.fromEnv(empty).encryption()).isEqualTo(ObjectEncryption.S3_MANAGED);
        assertThat(ExportWorkerConfig.fromEnv(keyed).encryption().kmsKeyArn())
                .isEqualTo("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    }

    @org.junit.jupiter.api.Test
    void theDefaultIsEightMib() {
        assertThat(ExportWorkerConfig.fromEnv(env(null)).partBytes()).isEqualTo(8 * 1024 * 1024);
    }
}
