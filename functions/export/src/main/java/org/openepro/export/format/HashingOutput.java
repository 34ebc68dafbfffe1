package org.openepro.export.format;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Passes bytes on while counting them and hashing them (SHA-256): a file inside a package, as its reader gets it. */
final class HashingOutput extends FilterOutputStream {
    private final MessageDigest sha256;
    private long bytes;

    HashingOutput(OutputStream out) {
        super(out);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha256.update(b, off, len);
        bytes += len;
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    long bytes() {
        return bytes;
    }

    /** The hash of everything written; call once, at the end. */
    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }
}
