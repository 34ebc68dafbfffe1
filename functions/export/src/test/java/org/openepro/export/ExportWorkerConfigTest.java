package org.openepro.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExportWorkerConfigTest {

    private static Map<String, String> env(String partMib) {
        Map<String, String> env = new HashMap<>(Map.of("PROJECTIONS_TABLE", "p", "EXPORTS_TABLE", "e",
                "EXPORT_QUEUE_URL", "q", "EXPORT_BUCKET", "b"));
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
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("EXPORT_PART_MIB");
    }

    @org.junit.jupiter.api.Test
    void theDefaultIsEightMib() {
        assertThat(ExportWorkerConfig.fromEnv(env(null)).partBytes()).isEqualTo(8 * 1024 * 1024);
    }
}
