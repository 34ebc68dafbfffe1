package org.openepro.export.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.openepro.export.format.ExportLimitException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An output stream that becomes one S3 object through a multipart upload, holding at most the
 * pool's buffers in memory whatever the file size (no whole file in memory, no temporary file).
 *
 * <ul>
 *   <li>Bytes fill a pooled {@link PartBuffer}; a full buffer is hashed (SHA-256, in file order),
 *       then uploaded on the upload executor straight from its array, then returned to the pool.
 *       When every buffer is busy the writer waits: at most {@code pool.maxBuffers() - 1} parts are in flight.</li>
 *   <li>The upload is created on the first full part; a file smaller than one part is one PutObject.</li>
 *   <li>{@link #suspend} waits for the parts in flight, stores the bytes of the unfinished part as
 *       a small "tail" object (S3 allows only the last part to be under 5 MiB), and returns a
 *       {@link Checkpoint}; {@link #resume} continues from one in another process.</li>
 *   <li>Everything is written with the target's server-side encryption ({@link ObjectEncryption}).</li>
 * </ul>
 * {@link #flush()} does nothing on purpose: a part is sealed only when full. Not thread-safe.
 */
public final class MultipartSink extends OutputStream {
    /** Where the file goes, and how it (and any tail saved on the way) is encrypted. */
    public record Target(String bucket, String key, String contentType, ObjectEncryption encryption) {
        public Target {
            if (encryption == null) {
                throw new IllegalArgumentException("a target names its encryption");
            }
        }

        /** A target under SSE-S3. */
        public Target(String bucket, String key, String contentType) {
            this(bucket, key, contentType, ObjectEncryption.S3_MANAGED);
        }
    }

    /**
     * What another process needs to continue the file: the upload, its parts' ETags in part order,
     * the hash state over the uploaded parts, and the tail object holding the unfinished part.
     */
    public record Checkpoint(
            String uploadId,
            List<String> etags,
            long uploadedBytes,
            String sha256State,
            String tailKey,
            long tailBytes) {
        public Checkpoint {
            etags = List.copyOf(etags);
        }

        public long totalBytes() {
            return uploadedBytes + tailBytes;
        }
    }

    /** The finished object. */
    public record Result(long bytes, String sha256Hex, int parts) {}

    private final S3Client s3;
    private final ExecutorService uploads;
    private final PartBufferPool pool;
    private final Target target;
    private final int maxParts;
    private final List<String> etags;
    private final Deque<Future<String>> inFlight = new ArrayDeque<>();
    private final ResumableSha256 sha;
    private String uploadId;
    private long uploadedBytes;
    private PartBuffer current;
    private boolean closed;

    private MultipartSink(
            S3Client s3,
            ExecutorService uploads,
            PartBufferPool pool,
            Target target,
            int maxParts,
            String uploadId,
            List<String> etags,
            long uploadedBytes,
            ResumableSha256 sha)
            throws IOException {
        this.s3 = s3;
        this.uploads = uploads;
        this.pool = pool;
        this.target = target;
        this.maxParts = Math.min(maxParts, 10_000);
        this.uploadId = uploadId;
        this.etags = new ArrayList<>(etags);
        this.uploadedBytes = uploadedBytes;
        this.sha = sha;
        this.current = acquire();
    }

    public static MultipartSink start(
            S3Client s3, ExecutorService uploads, PartBufferPool pool, Target target, int maxParts) throws IOException {
        return new MultipartSink(s3, uploads, pool, target, maxParts, null, List.of(), 0, new ResumableSha256());
    }

    /** Continues a file from a checkpoint: the tail object's bytes become the start of the next part. */
    public static MultipartSink resume(
            S3Client s3,
            ExecutorService uploads,
            PartBufferPool pool,
            Target target,
            int maxParts,
            Checkpoint checkpoint)
            throws IOException {
        MultipartSink sink = new MultipartSink(
                s3,
                uploads,
                pool,
                target,
                maxParts,
                checkpoint.uploadId(),
                checkpoint.etags(),
                checkpoint.uploadedBytes(),
                ResumableSha256.restore(checkpoint.sha256State()));
        if (checkpoint.uploadedBytes() != sink.sha.totalBytes()) {
            sink.abandon();
            throw new IllegalStateException("checkpoint hash state does not match the uploaded bytes");
        }
        if (checkpoint.tailKey() != null && checkpoint.tailBytes() > 0) {
            try (InputStream tail = s3.getObject(b -> b.bucket(target.bucket()).key(checkpoint.tailKey()))) {
                sink.current.fill(tail);
            } catch (IOException | RuntimeException e) {
                sink.abandon();
                throw e;
            }
            if (sink.current.length() != checkpoint.tailBytes()) {
                sink.abandon();
                throw new IllegalStateException("checkpoint tail has the wrong length");
            }
        }
        return sink;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        current.put((byte) b);
        if (current.full()) {
            seal();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        while (len > 0) {
            int n = current.put(b, off, len);
            off += n;
            len -= n;
            if (current.full()) {
                seal();
            }
        }
    }

    private void seal() throws IOException {
        if (etags.size() + inFlight.size() >= maxParts) {
            throw new ExportLimitException(
                    "EXPORT_TOO_LARGE",
                    "The file would exceed " + maxParts + " parts; narrow the date range or the questionnaires.");
        }
        if (uploadId == null) {
            uploadId = s3.createMultipartUpload(b -> target.encryption()
                            .applyTo(b.bucket(target.bucket()).key(target.key()).contentType(target.contentType())))
                    .uploadId();
        }
        PartBuffer part = current;
        current = null;
        sha.update(part.array(), 0, part.length());
        uploadedBytes += part.length();
        int partNumber = etags.size() + inFlight.size() + 1;
        String upload = uploadId;
        inFlight.addLast(uploads.submit(() -> {
            try {
                return s3.uploadPart(
                                b -> b.bucket(target.bucket())
                                        .key(target.key())
                                        .uploadId(upload)
                                        .partNumber(partNumber)
                                        .contentLength((long) part.length()),
                                RequestBody.fromContentProvider(
                                        part::newStream, part.length(), "application/octet-stream"))
                        .eTag();
            } finally {
                pool.release(part);
            }
        }));
        collectFinished();
        current = acquire();
    }

    /** Moves finished uploads at the head of the queue to the part list, failing fast on an error. */
    private void collectFinished() throws IOException {
        while (!inFlight.isEmpty() && inFlight.peekFirst().isDone()) {
            etags.add(await(inFlight.removeFirst()));
        }
    }

    private void awaitAll() throws IOException {
        while (!inFlight.isEmpty()) {
            etags.add(await(inFlight.removeFirst()));
        }
    }

    private static String await(Future<String> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading a part");
        } catch (ExecutionException e) {
            throw new IOException("a part upload failed", e.getCause());
        }
    }

    private PartBuffer acquire() throws IOException {
        try {
            return pool.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part buffer");
        }
    }

    /**
     * Stops at this point for another process to continue: waits for the parts in flight and
     * stores the unfinished part under {@code tailKey}. The sink is closed afterwards.
     */
    public Checkpoint suspend(String tailKey) throws IOException {
        ensureOpen();
        try {
            awaitAll();
            long tail = current.length();
            if (tail > 0) {
                PartBuffer part = current;
                s3.putObject(
                        b -> target.encryption()
                                .applyTo(b.bucket(target.bucket())
                                        .key(tailKey)
                                        .contentType("application/octet-stream")
                                        .contentLength(tail)),
                        RequestBody.fromContentProvider(part::newStream, tail, "application/octet-stream"));
            }
            return new Checkpoint(uploadId, etags, uploadedBytes, sha.saveState(), tail > 0 ? tailKey : null, tail);
        } finally {
            abandon();
        }
    }

    /** Uploads what is left and assembles the object; the sink is closed afterwards. */
    public Result complete() throws IOException {
        ensureOpen();
        try {
            PartBuffer last = current;
            if (uploadId == null) {
                // smaller than one part: a single encrypted PutObject
                sha.update(last.array(), 0, last.length());
                uploadedBytes += last.length();
                s3.putObject(
                        b -> target.encryption()
                                .applyTo(b.bucket(target.bucket())
                                        .key(target.key())
                                        .contentType(target.contentType())
                                        .contentLength((long) last.length())),
                        RequestBody.fromContentProvider(last::newStream, last.length(), target.contentType()));
                return new Result(uploadedBytes, sha.hexDigest(), 1);
            }
            if (last.length() > 0 || etags.size() + inFlight.size() == 0) {
                seal();
            }
            awaitAll();
            List<CompletedPart> parts = new ArrayList<>(etags.size());
            for (int i = 0; i < etags.size(); i++) {
                parts.add(CompletedPart.builder()
                        .partNumber(i + 1)
                        .eTag(etags.get(i))
                        .build());
            }
            String upload = uploadId;
            s3.completeMultipartUpload(b ->
                    b.bucket(target.bucket()).key(target.key()).uploadId(upload).multipartUpload(m -> m.parts(parts)));
            return new Result(uploadedBytes, sha.hexDigest(), parts.size());
        } finally {
            abandon();
        }
    }

    /** Gives up the file: waits for uploads in flight, aborts the multipart upload, returns the buffers. */
    public void abort() {
        if (closed) {
            return;
        }
        abandon();
        if (uploadId != null) {
            String upload = uploadId;
            try {
                s3.abortMultipartUpload(
                        b -> b.bucket(target.bucket()).key(target.key()).uploadId(upload));
            } catch (RuntimeException e) {
                // the bucket's lifecycle rule aborts incomplete uploads after a day
            }
        }
    }

    /**
     * Stops using this sink without aborting the upload (a checkpoint may still refer to it): waits
     * for uploads in flight, ignoring their outcome, and returns every buffer to the pool.
     */
    public void release() {
        abandon();
    }

    private void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        while (!inFlight.isEmpty()) {
            try {
                inFlight.peekFirst().get();
                inFlight.removeFirst();
            } catch (InterruptedException e) {
                // keep waiting: a buffer still being uploaded must not go back to the pool early
                interrupted = true;
            } catch (ExecutionException e) {
                inFlight.removeFirst(); // already failing; the task released its buffer
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (current != null) {
            pool.release(current);
            current = null;
        }
    }

    @Override
    public void flush() {
        // a part is sealed when full, never on flush: writers flush freely
    }

    /** Closing without {@link #complete()} or {@link #suspend} abandons the file. */
    @Override
    public void close() {
        abort();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("sink closed");
        }
    }
}
