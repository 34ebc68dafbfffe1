package org.openepro.export.stream;

import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * How every object an export writes is encrypted at rest: SSE-KMS under the stack's customer-managed key
 * (DataKeyArn) when it has one, else SSE-S3. Each request asks for it itself: a request that names AES256
 * overrides a bucket's SSE-KMS default, and a bucket default would hide a request that forgot.
 *
 * @param kmsKeyArn the key's ARN, or null for SSE-S3
 */
public record ObjectEncryption(String kmsKeyArn) {
    /** SSE-S3 (AES256), S3's own keys. */
    public static final ObjectEncryption S3_MANAGED = new ObjectEncryption(null);

    public ObjectEncryption {
        if (kmsKeyArn != null && kmsKeyArn.isBlank()) {
            kmsKeyArn = null;
        }
    }

    /** SSE-KMS with the key when one is named (EXPORT_KMS_KEY_ARN), SSE-S3 when it is empty. */
    public static ObjectEncryption forKey(String kmsKeyArn) {
        return new ObjectEncryption(kmsKeyArn);
    }

    public PutObjectRequest.Builder applyTo(PutObjectRequest.Builder request) {
        return kmsKeyArn == null
                ? request.serverSideEncryption(ServerSideEncryption.AES256)
                // the bucket key: one KMS data key per bucket and period, not one KMS call per object
                : request.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId(kmsKeyArn)
                        .bucketKeyEnabled(true);
    }

    public CreateMultipartUploadRequest.Builder applyTo(CreateMultipartUploadRequest.Builder request) {
        return kmsKeyArn == null
                ? request.serverSideEncryption(ServerSideEncryption.AES256)
                : request.serverSideEncryption(ServerSideEncryption.AWS_KMS)
                        .ssekmsKeyId(kmsKeyArn)
                        .bucketKeyEnabled(true);
    }
}
