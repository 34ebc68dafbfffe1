package org.openepro.bench.export;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openepro.export.stream.MultipartSink;
import org.openepro.export.stream.PartBufferPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Pooled against unpooled part buffers: one operation is one warm container's export of
 * {@value #PARTS} parts of 8 MiB through {@link MultipartSink} into an S3 stand-in that reads each
 * part's stream (as the HTTP client would) and answers at once. With {@code -prof gc},
 * gc.alloc.rate.norm is the bytes allocated per export: the pool's point is that a warm container
 * allocates (and zeroes) no new part arrays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx256m"})
public class PartBufferBench {
    static final int PARTS = 6;
    static final int PART_BYTES = 8 * 1024 * 1024;

    @Param({"pooled", "unpooled"})
    public String buffers;

    private PartBufferPool pool;
    private ExecutorService uploads;
    private final byte[] chunk = new byte[64 * 1024];
    private final S3Client s3 = new DrainingS3();

    @Setup
    public void setUp() {
        pool = buffers.equals("pooled") ? new PartBufferPool(PART_BYTES, 3) : PartBufferPool.unpooled(PART_BYTES, 3);
        uploads = Executors.newVirtualThreadPerTaskExecutor();
        java.util.Arrays.fill(chunk, (byte) 'x');
    }

    @TearDown
    public void tearDown() {
        uploads.close();
    }

    @Benchmark
    public long export() throws IOException {
        MultipartSink sink = MultipartSink.start(
                s3, uploads, pool, new MultipartSink.Target("bench", "exports/bench/data.csv", "text/csv"), 100);
        for (long written = 0; written < (long) PARTS * PART_BYTES - 100; written += chunk.length) {
            sink.write(chunk, 0, chunk.length);
        }
        return sink.complete().bytes();
    }

    /** Reads every part like an HTTP client would, and answers at once. */
    static final class DrainingS3 implements S3Client {
        private final byte[] scratch = new byte[64 * 1024];

        @Override
        public CreateMultipartUploadResponse createMultipartUpload(CreateMultipartUploadRequest request) {
            return CreateMultipartUploadResponse.builder().uploadId("u").build();
        }

        @Override
        public synchronized UploadPartResponse uploadPart(UploadPartRequest request, RequestBody body) {
            try (InputStream in = body.contentStreamProvider().newStream()) {
                while (in.read(scratch) > 0) {
                    // discard
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return UploadPartResponse.builder().eTag("e" + request.partNumber()).build();
        }

        @Override
        public CompleteMultipartUploadResponse completeMultipartUpload(CompleteMultipartUploadRequest request) {
            return CompleteMultipartUploadResponse.builder().build();
        }

        @Override
        public software.amazon.awssdk.services.s3.model.PutObjectResponse putObject(
                software.amazon.awssdk.services.s3.model.PutObjectRequest request, RequestBody body) {
            return software.amazon.awssdk.services.s3.model.PutObjectResponse.builder()
                    .build();
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {}
    }
}
