package org.openepro.export.stream;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The container's multipart part buffers (8 to 16 MiB each). At most {@code maxBuffers} exist,
 * so at most {@code maxBuffers - 1} parts are in flight while one is filled, and an export
 * waits for an upload to finish rather than allocate more. Buffers are created on first need
 * and kept: the next export in the same warm container reuses them instead of allocating
 * (and zeroing) tens of MiB again. Thread-safe.
 */
public final class PartBufferPool {
    public static final int MIN_PART_BYTES = 5 * 1024 * 1024; // S3's minimum for every part but the last
    public static final int MAX_PART_BYTES = 64 * 1024 * 1024;

    private final int partBytes;
    private final int maxBuffers;
    private final Semaphore available;
    private final BlockingQueue<PartBuffer> idle;
    private final AtomicInteger created = new AtomicInteger();
    private final boolean reuse;

    public PartBufferPool(int partBytes, int maxBuffers) {
        this(partBytes, maxBuffers, true);
    }

    /** The same bounds without reuse: every part gets a new array (the benchmark's baseline). */
    public static PartBufferPool unpooled(int partBytes, int maxBuffers) {
        return new PartBufferPool(partBytes, maxBuffers, false);
    }

    private PartBufferPool(int partBytes, int maxBuffers, boolean reuse) {
        if (partBytes < MIN_PART_BYTES || partBytes > MAX_PART_BYTES) {
            throw new IllegalArgumentException("part size must be between 5 and 64 MiB");
        }
        if (maxBuffers < 2) {
            throw new IllegalArgumentException("a pool needs at least two buffers (one filling, one uploading)");
        }
        this.partBytes = partBytes;
        this.maxBuffers = maxBuffers;
        this.available = new Semaphore(maxBuffers, true);
        this.idle = new ArrayBlockingQueue<>(maxBuffers);
        this.reuse = reuse;
    }

    /** A cleared buffer; blocks while every buffer is in use (back-pressure on the writer). */
    public PartBuffer acquire() throws InterruptedException {
        available.acquire();
        PartBuffer b = idle.poll();
        if (b == null) {
            b = new PartBuffer(partBytes);
            created.incrementAndGet();
        }
        return b;
    }

    /** Gives a buffer back; it comes out empty (its old bytes are overwritten before they are read again). */
    public void release(PartBuffer buffer) {
        buffer.clear();
        if (reuse && !idle.offer(buffer)) {
            throw new IllegalStateException("a buffer was released twice");
        }
        available.release();
    }

    public int partBytes() {
        return partBytes;
    }

    public int maxBuffers() {
        return maxBuffers;
    }

    /** How many buffers this pool ever allocated: a warm export must not add to it. */
    public int created() {
        return created.get();
    }

    /** Buffers not in use right now. */
    public int idle() {
        return available.availablePermits();
    }
}
