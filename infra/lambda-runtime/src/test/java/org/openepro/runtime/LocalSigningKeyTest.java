package org.openepro.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSigningKeyTest {
    @TempDir
    Path dir;

    @Test
    void createsTheKeyOnFirstUseReadableOnlyByItsOwnerAndReadsTheSameKeyAfterwards() throws Exception {
        LocalSigningKey first = LocalSigningKey.loadOrCreate(dir.resolve(".local"));
        LocalSigningKey again = LocalSigningKey.loadOrCreate(dir.resolve(".local"));

        Path file = dir.resolve(".local").resolve(LocalSigningKey.FILE_NAME);
        assertThat(file).isRegularFile();
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(again.modulus()).isEqualTo(first.modulus());
        assertThat(again.keyId()).isEqualTo(first.keyId());
        byte[] data = "signed".getBytes(StandardCharsets.US_ASCII);
        assertThat(again.verify(data, first.sign(data))).isTrue();
    }

    @Test
    void processesStartingTogetherAgreeOnOneKey() throws Exception {
        List<Callable<LocalSigningKey>> starts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            starts.add(() -> LocalSigningKey.loadOrCreate(dir));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<LocalSigningKey>> keys = pool.invokeAll(starts);
            LocalSigningKey winner = LocalSigningKey.loadOrCreate(dir);
            for (Future<LocalSigningKey> k : keys) {
                assertThat(k.get().modulus()).isEqualTo(winner.modulus());
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve(LocalSigningKey.FILE_NAME));
        }
    }

    @Test
    void aSignatureOfOtherDataOrByAnotherKeyDoesNotVerify() {
        LocalSigningKey key = LocalSigningKey.generate();
        byte[] data = "a".getBytes(StandardCharsets.US_ASCII);

        assertThat(key.verify("b".getBytes(StandardCharsets.US_ASCII), key.sign(data)))
                .isFalse();
        assertThat(key.verify(data, LocalSigningKey.generate().sign(data))).isFalse();
    }

    @Test
    void saysWhatToDoWithACorruptKeyFile() throws Exception {
        Files.writeString(dir.resolve(LocalSigningKey.FILE_NAME), "not a key");

        assertThatThrownBy(() -> LocalSigningKey.loadOrCreate(dir))
                .isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage(dir.resolve(LocalSigningKey.FILE_NAME)
                        + " is not a PKCS#8 PEM private key: delete it to have a new one made");
    }
}
