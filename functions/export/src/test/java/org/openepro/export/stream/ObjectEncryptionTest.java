package org.openepro.export.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

class ObjectEncryptionTest {
    private static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void withoutAKeyEveryRequestAsksForSseS3AndNamesNoKey() {
        PutObjectRequest put =
                ObjectEncryption.forKey("").applyTo(PutObjectRequest.builder()).build();
        CreateMultipartUploadRequest upload = ObjectEncryption.S3_MANAGED
                .applyTo(CreateMultipartUploadRequest.builder())
                .build();

        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(put.ssekmsKeyId()).isNull();
        assertThat(upload.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(upload.ssekmsKeyId()).isNull();
    }

    @Test
    void withAKeyEveryRequestAsksForSseKmsUnderThatKeyWithTheBucketKey() {
        ObjectEncryption encryption = ObjectEncryption.forKey(KEY);

        PutObjectRequest put = encryption.applyTo(PutObjectRequest.builder()).build();
        CreateMultipartUploadRequest upload =
                encryption.applyTo(CreateMultipartUploadRequest.builder()).build();

        for (var request : java.util.List.of(
                new Object[] {put.serverSideEncryption(), put.ssekmsKeyId(), put.bucketKeyEnabled()},
                new Object[] {upload.serverSideEncryption(), upload.ssekmsKeyId(), upload.bucketKeyEnabled()})) {
            assertThat(request).containsExactly(ServerSideEncryption.AWS_KMS, KEY, true);
        }
    }
}
