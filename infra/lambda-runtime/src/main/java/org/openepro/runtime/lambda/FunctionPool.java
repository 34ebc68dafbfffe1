package org.openepro.runtime.lambda;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A function's execution environments, as Lambda scales them: the first invocation starts an
 * instance (a cold start), an idle instance is reused (warm; the most recently used first), and
 * when every instance is busy another is started, up to {@code maxInstances} (the template's
 * ReservedConcurrentExecutions, else a small local default); past that an invocation waits for an
 * instance to come free. An instance that timed out or crashed is gone; the next invocation that
 * needs one starts a new one. Each invocation prints Lambda's REPORT line.
 */
public final class FunctionPool implements AutoCloseable {
    /** Instances per function when the template reserves no concurrency: enough for a laptop, not a region. */
    public static final int DEFAULT_MAX_INSTANCES = 4;
    /** Lambda's limit for the init phase of an on-demand function; past it, init is retried within the invoke. */
    static final Duration INIT_LIMIT = Duration.ofSeconds(10);

    private final FunctionSpec spec;
    private final ManagedJavaRuntime runtime;
    private final FunctionInstance.FunctionOutput output;
    private final int maxInstances;
    private final Object lock = new Object();
    private final Deque<FunctionInstance> idle = new ArrayDeque<>(); // guarded by lock
    private final List<FunctionInstance> all = new ArrayList<>(); // guarded by lock
    private int live; // instances running or starting, guarded by lock
    private boolean closed; // guarded by lock
    private final AtomicInteger coldStarts = new AtomicInteger();

    public FunctionPool(
            FunctionSpec spec, ManagedJavaRuntime runtime, int maxInstances, FunctionInstance.FunctionOutput output) {
        if (maxInstances < 1) {
            throw new IllegalArgumentException("maxInstances must be at least 1");
        }
        this.spec = spec;
        this.runtime = runtime;
        this.maxInstances = maxInstances;
        this.output = output;
    }

    public FunctionSpec spec() {
        return spec;
    }

    public String id() {
        return spec.name();
    }

    public Duration timeout() {
        return spec.timeout();
    }

    public int maxInstances() {
        return maxInstances;
    }

    /** Instances running now (idle or busy). */
    public int instances() {
        synchronized (lock) {
            return (int) all.stream().filter(FunctionInstance::alive).count();
        }
    }

    /** Instances started since this pool was made, whether their init succeeded or not. */
    public int coldStarts() {
        return coldStarts.get();
    }

    /**
     * Invokes the function with {@code event} (the JSON Lambda would pass), on a warm instance when
     * one is idle, else on a new one. Never throws for what the function does: every outcome is a result.
     */
    public InvokeResult invoke(byte[] event) {
        FunctionInstance instance = acquire();
        Duration init = null;
        if (instance == null) {
            Started started = startInstance();
            if (started.instance() == null) {
                return started.failure();
            }
            instance = started.instance();
            init = started.init().duration();
        }
        InvokeResult result = instance.invoke(event, init);
        output.line(spec.name(), result.reportLine());
        release(instance);
        return result;
    }

    /** Starts one instance and waits for its init, when none runs yet: `make run` is ready once every function is warm. */
    public InitResult prewarm() {
        synchronized (lock) {
            if (live > 0 || closed) {
                return new InitResult(InitResult.Status.READY, Duration.ZERO, null, null);
            }
            live++;
        }
        Started started = startInstance();
        if (started.instance() != null) {
            release(started.instance());
        }
        return started.init();
    }

    private record Started(FunctionInstance instance, InitResult init, InvokeResult failure) {}

    /** Starts an instance in a slot already counted in {@code live}; on failure the slot is given back. */
    private Started startInstance() {
        coldStarts.incrementAndGet();
        FunctionInstance instance;
        try {
            instance = FunctionInstance.start(spec, runtime, output);
        } catch (IOException | RuntimeException e) {
            giveBackSlot();
            InitResult init = new InitResult(
                    InitResult.Status.FAILED,
                    Duration.ZERO,
                    "Runtime.StartError",
                    "{\"errorMessage\":\"" + e.getMessage() + "\",\"errorType\":\"Runtime.StartError\"}");
            output.line(spec.name(), "cannot start an instance: " + e.getMessage());
            return new Started(null, init, failed(init));
        }
        synchronized (lock) {
            all.add(instance);
        }
        InitResult init = instance.awaitInit(INIT_LIMIT.plus(spec.timeout()));
        if (!init.ready()) {
            reportInitFailure(init);
            forget(instance);
            return new Started(null, init, failed(init));
        }
        return new Started(instance, init, null);
    }

    private InvokeResult failed(InitResult init) {
        InvokeResult result = new InvokeResult(
                InvokeResult.Status.INIT_FAILED,
                "-",
                init.errorBody() == null
                        ? new byte[0]
                        : init.errorBody().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                init.errorType(),
                Duration.ZERO,
                init.duration(),
                spec.memoryMb(),
                0);
        return result;
    }

    /** The init error with the function's name, its type, message and stack, as the console shows it. */
    private void reportInitFailure(InitResult init) {
        output.line(spec.name(), init.reportLine());
        if (init.errorBody() != null && !init.errorBody().isBlank()) {
            for (String line : LambdaErrors.describe(init.errorBody())) {
                output.line(spec.name(), line);
            }
        }
    }

    /** An idle instance, or null with a slot reserved for a new one; waits while all are busy at the limit. */
    private FunctionInstance acquire() {
        synchronized (lock) {
            while (true) {
                if (closed) {
                    throw new IllegalStateException(spec.name() + " is stopped");
                }
                while (!idle.isEmpty()) {
                    FunctionInstance warm = idle.pollFirst();
                    if (warm.alive()) {
                        return warm;
                    }
                    forgetLocked(warm);
                }
                if (live < maxInstances) {
                    live++;
                    return null;
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for an instance of " + spec.name(), e);
                }
            }
        }
    }

    /** Back to the idle instances when it still runs (most recently used first); else its slot is free. */
    private void release(FunctionInstance instance) {
        synchronized (lock) {
            if (instance.alive() && !closed) {
                idle.addFirst(instance);
            } else {
                forgetLocked(instance);
            }
            lock.notifyAll();
        }
    }

    private void forget(FunctionInstance instance) {
        synchronized (lock) {
            forgetLocked(instance);
            lock.notifyAll();
        }
    }

    private void forgetLocked(FunctionInstance instance) {
        if (all.remove(instance)) {
            live--;
        }
        instance.close();
    }

    private void giveBackSlot() {
        synchronized (lock) {
            live--;
            lock.notifyAll();
        }
    }

    /** Stops every instance, busy or not (an invocation in progress ends as CRASHED). */
    @Override
    public void close() {
        List<FunctionInstance> stopping;
        synchronized (lock) {
            closed = true;
            stopping = new ArrayList<>(all);
            idle.clear();
            lock.notifyAll();
        }
        stopping.parallelStream().forEach(FunctionInstance::close);
    }
}
