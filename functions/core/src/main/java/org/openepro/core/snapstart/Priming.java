package org.openepro.core.snapstart;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.openepro.core.log.Log;

/**
 * SnapStart priming: work a handler runs once before Lambda takes the snapshot of its
 * initialised container (org.crac {@code beforeCheckpoint}), so classes are loaded and the hot
 * path is exercised in the snapshot rather than on the first request after a restore. Priming
 * must have no side effect a user could see, and a failure never breaks the deployment.
 */
public final class Priming implements Resource {
    private static final Log LOG = Log.get(Priming.class);
    // CRaC contexts may hold resources weakly: keep them reachable for the container's life
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String name;
    private final Runnable action;

    private Priming(String name, Runnable action) {
        this.name = name;
        this.action = action;
    }

    /** Runs {@code action} before a SnapStart snapshot; without SnapStart it never runs. */
    public static void register(String name, Runnable action) {
        Priming priming = new Priming(name, action);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    /**
     * Runs every registered priming now, as a checkpoint would: for benchmarks that measure what a
     * restored container's first request costs, on JVMs without CRaC.
     */
    public static void runAll() {
        REGISTERED.forEach(Priming::run);
    }

    /** Runs the action now (what a checkpoint does); exposed for tests. */
    public void run() {
        long start = System.nanoTime();
        try {
            action.run();
            LOG.info("priming.done", "handler", name, "ms", (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn(
                    "priming.failed", "handler", name, "errorType", e.getClass().getName());
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        run();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: SDK credentials come from the container provider after a restore
    }
}
