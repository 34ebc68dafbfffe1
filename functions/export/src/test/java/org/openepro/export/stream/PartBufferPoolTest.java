package org.openepro.export.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PartBufferPoolTest {
    private static final int PART = PartBufferPool.MIN_PART_BYTES;

    @Test
    void aSecondExportReusesTheBuffersOfTheFirst() throws Exception {
        // GIVEN a pool that served one export of three parts
        PartBufferPool pool = new PartBufferPool(PART, 3);
        PartBuffer a = pool.acquire();
        PartBuffer b = pool.acquire();
        a.put(new byte[] {1, 2, 3}, 0, 3);
        pool.release(a);
        pool.release(b);

        // WHEN the next export takes buffers
        PartBuffer c = pool.acquire();
        PartBuffer d = pool.acquire();

        // THEN no new array was allocated and every buffer comes back empty
        assertThat(pool.created()).isEqualTo(2);
        assertThat(c.length()).isZero();
        assertThat(d.length()).isZero();
    }

    @Test
    void blocksTheWriterWhenEveryBufferIsInFlight() throws Exception {
        // GIVEN a pool of two buffers, both taken
        PartBufferPool pool = new PartBufferPool(PART, 2);
        PartBuffer first = pool.acquire();
        pool.acquire();

        // WHEN a third is asked for
        CompletableFuture<PartBuffer> third = CompletableFuture.supplyAsync(() -> {
            try {
                return pool.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        // THEN it waits until one is released, and never allocates a third array
        assertThat(third).isNotCompleted();
        Thread.sleep(50);
        assertThat(third).isNotCompleted();
        pool.release(first);
        assertThat(third.get(5, TimeUnit.SECONDS)).isSameAs(first);
        assertThat(pool.created()).isEqualTo(2);
    }

    @Test
    void theUnpooledBaselineAllocatesForEveryPart() throws Exception {
        PartBufferPool unpooled = PartBufferPool.unpooled(PART, 2);
        for (int i = 0; i < 4; i++) {
            unpooled.release(unpooled.acquire());
        }
        assertThat(unpooled.created()).isEqualTo(4);
    }

    @Test
    void refusesPartsS3WouldReject() {
        assertThatThrownBy(() -> new PartBufferPool(1024, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartBufferPool(PART, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBufferHoldsWhatFitsAndReportsTheRest() {
        PartBuffer buffer = new PartBuffer(8);
        assertThat(buffer.put(new byte[10], 0, 10)).isEqualTo(8);
        assertThat(buffer.full()).isTrue();
        assertThat(buffer.remaining()).isZero();
    }
}
