package org.openepro.export.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openepro.emulator.AwsEmulatorExtension;
import org.openepro.emulator.EmulatedStack;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

@ExtendWith(AwsEmulatorExtension.class)
class MultipartSinkIT {
    private static final int PART = PartBufferPool.MIN_PART_BYTES;
    private final ExecutorService uploads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        uploads.close();
    }

    private static byte[] data(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void streamsAFileOfSeveralPartsThroughABoundedPool(EmulatedStack stack) throws Exception {
        // GIVEN 17 MiB written in odd-sized chunks through a pool of three 5 MiB buffers
        PartBufferPool pool = new PartBufferPool(PART, 3);
        byte[] file = data(17 * 1024 * 1024 + 123);
        MultipartSink.Target target = new MultipartSink.Target(
                stack.ref("ExportBucket"), "exports/" + UUID.randomUUID() + "/data.bin", "application/octet-stream");
        MultipartSink sink =
                MultipartSink.start(stack.clientsFor("ExportWorkerFunction").s3(), uploads, pool, target, 100);
        for (int at = 0; at < file.length; at += 777_777) {
            sink.write(file, at, Math.min(777_777, file.length - at));
        }

        // WHEN it completes
        MultipartSink.Result result = sink.complete();

        // THEN S3 holds the same bytes, encrypted, in four parts, and the SHA-256 is MessageDigest's
        var object = stack.clients()
                .s3()
                .getObjectAsBytes(b -> b.bucket(target.bucket()).key(target.key()));
        assertThat(object.asByteArray()).isEqualTo(file);
        assertThat(object.response().serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(result.parts()).isEqualTo(4);
        assertThat(result.bytes()).isEqualTo(file.length);
        assertThat(result.sha256Hex())
                .isEqualTo(java.util.HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
        // never more buffers than the pool allows, all of them back
        assertThat(pool.created()).isLessThanOrEqualTo(3);
        assertThat(pool.idle()).isEqualTo(3);

        // AND a second file in the same container reuses those buffers
        MultipartSink again = MultipartSink.start(
                stack.clientsFor("ExportWorkerFunction").s3(),
                uploads,
                pool,
                new MultipartSink.Target(target.bucket(), target.key() + ".2", "application/octet-stream"),
                100);
        again.write(file, 0, file.length);
        again.complete();
        assertThat(pool.created()).isLessThanOrEqualTo(3);
    }

    @Test
    void aSuspendedFileContinuedByAnotherSinkIsByteForByteTheSame(EmulatedStack stack) throws Exception {
        // GIVEN 7 MiB written (one part uploaded, 2 MiB unfinished) and the sink suspended
        byte[] file = data(13 * 1024 * 1024 + 5);
        String bucket = stack.ref("ExportBucket");
        String key = "exports/" + UUID.randomUUID() + "/data.bin";
        MultipartSink.Target target = new MultipartSink.Target(bucket, key, "application/octet-stream");
        MultipartSink first = MultipartSink.start(
                stack.clientsFor("ExportWorkerFunction").s3(), uploads, new PartBufferPool(PART, 2), target, 100);
        int cut = 7 * 1024 * 1024;
        first.write(file, 0, cut);
        MultipartSink.Checkpoint checkpoint = first.suspend(key + ".tail");
        assertThat(checkpoint.etags()).hasSize(1);
        assertThat(checkpoint.tailBytes()).isEqualTo(cut - PART);
        assertThat(checkpoint.totalBytes()).isEqualTo(cut);

        // WHEN another process (new pool, new sink) resumes from the checkpoint and writes the rest
        MultipartSink second = MultipartSink.resume(
                stack.clientsFor("ExportWorkerFunction").s3(),
                uploads,
                new PartBufferPool(PART, 2),
                target,
                100,
                checkpoint);
        second.write(file, cut, file.length - cut);
        MultipartSink.Result result = second.complete();

        // THEN the object and its SHA-256 are those of the whole file
        assertThat(stack.clients()
                        .s3()
                        .getObjectAsBytes(b -> b.bucket(bucket).key(key))
                        .asByteArray())
                .isEqualTo(file);
        assertThat(result.sha256Hex())
                .isEqualTo(java.util.HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
    }

    @Test
    void aFileSmallerThanOnePartIsOnePutAndAnAbortLeavesNothing(EmulatedStack stack) throws Exception {
        String bucket = stack.ref("ExportBucket");
        PartBufferPool pool = new PartBufferPool(PART, 2);
        String small = "exports/" + UUID.randomUUID() + "/small.bin";
        MultipartSink sink = MultipartSink.start(
                stack.clientsFor("ExportWorkerFunction").s3(),
                uploads,
                pool,
                new MultipartSink.Target(bucket, small, "text/csv"),
                100);
        sink.write(new byte[] {'a', ',', 'b'}, 0, 3);
        assertThat(sink.complete().parts()).isEqualTo(1);
        assertThat(stack.clients()
                        .s3()
                        .getObjectAsBytes(b -> b.bucket(bucket).key(small))
                        .asUtf8String())
                .isEqualTo("a,b");

        String aborted = "exports/" + UUID.randomUUID() + "/aborted.bin";
        MultipartSink big = MultipartSink.start(
                stack.clientsFor("ExportWorkerFunction").s3(),
                uploads,
                pool,
                new MultipartSink.Target(bucket, aborted, "text/csv"),
                100);
        big.write(data(PART + 10), 0, PART + 10);
        big.abort();
        assertThat(stack.clients()
                        .s3()
                        .listObjectsV2(b -> b.bucket(bucket).prefix(aborted))
                        .contents())
                .isEmpty();
        assertThat(stack.clients()
                        .s3()
                        .listMultipartUploads(b -> b.bucket(bucket).prefix(aborted))
                        .uploads())
                .isEmpty();
        assertThat(pool.idle()).isEqualTo(2);
    }
}
