package org.openepro.export.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResumableSha256Test {

    @Test
    void matchesTheFipsTestVectors() {
        // GIVEN the FIPS 180-4 examples
        ResumableSha256 empty = new ResumableSha256();
        ResumableSha256 abc = new ResumableSha256();
        byte[] bytes = "abc".getBytes(StandardCharsets.US_ASCII);
        abc.update(bytes, 0, bytes.length);

        // THEN the published digests come out
        assertThat(empty.hexDigest()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(abc.hexDigest()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void agreesWithMessageDigestForEveryLengthAroundTheBlockBoundaries() throws Exception {
        Random random = new Random(1);
        for (int length = 0; length < 300; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            ResumableSha256 sha = new ResumableSha256();
            sha.update(data, 0, data.length);
            assertThat(sha.digest())
                    .as("length %d", length)
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void continuesFromASavedStateInAnotherInstanceAsIfNeverInterrupted() throws Exception {
        // GIVEN 3 MiB written in random chunks, with the state saved and restored at random points
        Random random = new Random(7);
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        random.nextBytes(data);
        ResumableSha256 sha = new ResumableSha256();
        int at = 0;
        while (at < data.length) {
            int n = Math.min(data.length - at, random.nextInt(200_000));
            sha.update(data, at, n);
            at += n;
            if (random.nextBoolean()) {
                String saved = sha.saveState();
                // WHEN a new instance continues from the saved state
                sha = ResumableSha256.restore(saved);
            }
        }

        // THEN the digest equals MessageDigest's over the whole, and digest() does not end the hash
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
        assertThat(sha.digest()).isEqualTo(expected);
        assertThat(sha.totalBytes()).isEqualTo(data.length);
        assertThat(HexFormat.of().parseHex(sha.hexDigest())).isEqualTo(expected);
        sha.update(new byte[] {1}, 0, 1);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(data);
        md.update((byte) 1);
        assertThat(sha.digest()).isEqualTo(md.digest());
    }

    @Test
    void refusesAStateThatIsNotOne() {
        assertThatThrownBy(() -> ResumableSha256.restore("AAAA")).isInstanceOf(IllegalArgumentException.class);
        String valid = new ResumableSha256().saveState();
        byte[] raw = java.util.Base64.getDecoder().decode(valid);
        raw[40] = 5; // 5 buffered bytes but a total of 0
        assertThatThrownBy(() ->
                        ResumableSha256.restore(java.util.Base64.getEncoder().encodeToString(raw)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
