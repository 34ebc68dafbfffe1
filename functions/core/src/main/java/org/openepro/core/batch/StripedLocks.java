package org.openepro.core.batch;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the records of a batch that concern the same key (e.g. two messages for one report
 * after a producer retry), so they run one after the other in this container instead of racing
 * for the same conditional write. Keys share a fixed set of locks: two different keys rarely
 * wait for each other, and nothing grows with the number of keys. Thread-safe; one per container.
 */
public final class StripedLocks {
    private final ReentrantLock[] locks;

    public StripedLocks(int stripes) {
        locks = new ReentrantLock[Integer.highestOneBit(Math.max(1, stripes - 1)) << 1];
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    public <T> T call(String key, Callable<T> work) throws Exception {
        ReentrantLock lock = locks[(key.hashCode() ^ (key.hashCode() >>> 16)) & (locks.length - 1)];
        lock.lock();
        try {
            return work.call();
        } finally {
            lock.unlock();
        }
    }
}
