package org.openepro.export.sort;

import java.io.InputStream;
import org.openepro.export.stream.ObjectEncryption;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sorted runs as objects under the export's own prefix ({@code exports/{exportId}/scratch/}), encrypted
 * like every object an export writes, deleted once merged (and by the bucket's lifecycle within a day
 * if an invocation dies first).
 */
public final class S3ScratchStore implements ScratchStore {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final ObjectEncryption encryption;

    public S3ScratchStore(S3Client s3, String bucket, String prefix, ObjectEncryption encryption) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.encryption = encryption;
    }

    @Override
    public void put(String name, byte[] bytes) {
        s3.putObject(
                b -> encryption.applyTo(b.bucket(bucket).key(prefix + name).contentType("application/octet-stream")),
                RequestBody.fromBytes(bytes));
    }

    @Override
    public InputStream open(String name) {
        return s3.getObject(b -> b.bucket(bucket).key(prefix + name));
    }

    @Override
    public void delete(String name) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(prefix + name));
        } catch (RuntimeException e) {
            // the bucket's lifecycle removes it within a day
        }
    }
}
