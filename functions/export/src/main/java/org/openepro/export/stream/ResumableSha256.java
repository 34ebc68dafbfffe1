package org.openepro.export.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SHA-256 (FIPS 180-4) whose running state can be saved and restored, so that an export which
 * stops at a Lambda deadline and continues in the next invocation still ends with the digest of
 * the whole file. {@link java.security.MessageDigest} cannot be serialised, hence this class;
 * it is tested against MessageDigest. Not thread-safe.
 */
public final class ResumableSha256 {
    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    };
    private static final int[] INITIAL = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    };
    private static final int STATE_BYTES = 32 + 8 + 1 + 64;

    private final int[] h = INITIAL.clone();
    private final int[] w = new int[64];
    private final byte[] block = new byte[64];
    private int blockLength;
    private long totalBytes;

    public ResumableSha256() {}

    /** Continues from a state {@link #saveState()} returned. */
    public static ResumableSha256 restore(String state) {
        byte[] raw = Base64.getDecoder().decode(state);
        if (raw.length != STATE_BYTES) {
            throw new IllegalArgumentException("not a SHA-256 state");
        }
        ByteBuffer in = ByteBuffer.wrap(raw);
        ResumableSha256 sha = new ResumableSha256();
        for (int i = 0; i < 8; i++) {
            sha.h[i] = in.getInt();
        }
        sha.totalBytes = in.getLong();
        sha.blockLength = in.get();
        if (sha.blockLength < 0
                || sha.blockLength >= 64
                || sha.totalBytes < 0
                || sha.totalBytes % 64 != sha.blockLength) {
            throw new IllegalArgumentException("not a SHA-256 state");
        }
        in.get(sha.block);
        return sha;
    }

    /** The running state as a short string (140 characters), to store between invocations. */
    public String saveState() {
        ByteBuffer out = ByteBuffer.allocate(STATE_BYTES);
        for (int v : h) {
            out.putInt(v);
        }
        out.putLong(totalBytes);
        out.put((byte) blockLength);
        out.put(block);
        return Base64.getEncoder().encodeToString(out.array());
    }

    public long totalBytes() {
        return totalBytes;
    }

    public void update(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IndexOutOfBoundsException();
        }
        totalBytes += length;
        int end = offset + length;
        if (blockLength > 0) {
            int take = Math.min(64 - blockLength, length);
            System.arraycopy(data, offset, block, blockLength, take);
            blockLength += take;
            offset += take;
            if (blockLength < 64) {
                return;
            }
            compress(block, 0);
            blockLength = 0;
        }
        while (end - offset >= 64) {
            compress(data, offset);
            offset += 64;
        }
        blockLength = end - offset;
        System.arraycopy(data, offset, block, 0, blockLength);
    }

    /** The digest of everything written; the state is left unchanged, so updates may continue. */
    public byte[] digest() {
        ResumableSha256 copy = new ResumableSha256();
        System.arraycopy(h, 0, copy.h, 0, 8);
        System.arraycopy(block, 0, copy.block, 0, blockLength);
        copy.blockLength = blockLength;
        copy.totalBytes = totalBytes;
        return copy.finish();
    }

    public String hexDigest() {
        return HexFormat.of().formatHex(digest());
    }

    private byte[] finish() {
        long bits = totalBytes * 8;
        block[blockLength++] = (byte) 0x80;
        if (blockLength > 56) {
            Arrays.fill(block, blockLength, 64, (byte) 0);
            compress(block, 0);
            blockLength = 0;
        }
        Arrays.fill(block, blockLength, 56, (byte) 0);
        for (int i = 0; i < 8; i++) {
            block[56 + i] = (byte) (bits >>> (56 - 8 * i));
        }
        compress(block, 0);
        byte[] out = new byte[32];
        for (int i = 0; i < 8; i++) {
            out[4 * i] = (byte) (h[i] >>> 24);
            out[4 * i + 1] = (byte) (h[i] >>> 16);
            out[4 * i + 2] = (byte) (h[i] >>> 8);
            out[4 * i + 3] = (byte) h[i];
        }
        return out;
    }

    private void compress(byte[] data, int offset) {
        int[] w = this.w;
        for (int i = 0; i < 16; i++) {
            int p = offset + 4 * i;
            w[i] = (data[p] << 24) | ((data[p + 1] & 0xff) << 16) | ((data[p + 2] & 0xff) << 8) | (data[p + 3] & 0xff);
        }
        for (int i = 16; i < 64; i++) {
            int x = w[i - 15];
            int y = w[i - 2];
            int s0 = Integer.rotateRight(x, 7) ^ Integer.rotateRight(x, 18) ^ (x >>> 3);
            int s1 = Integer.rotateRight(y, 17) ^ Integer.rotateRight(y, 19) ^ (y >>> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        int a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
        for (int i = 0; i < 64; i++) {
            int s1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
            int ch = (e & f) ^ (~e & g);
            int t1 = hh + s1 + ch + K[i] + w[i];
            int s0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
            int maj = (a & b) ^ (a & c) ^ (b & c);
            int t2 = s0 + maj;
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
}
