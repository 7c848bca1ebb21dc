package io.tandem.volume.domain.node;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's background threads: one timer (capacity publishing, cleanup sweeps, grace delays) that never runs slow
 * work itself, a small pool for cleanup work, which may call the driver, and one thread for the replication cycles,
 * which copy data for as long as they take. Kept apart so that a driver that hangs in a cleanup or a long copy cannot
 * stop the capacity reports that keep the node placeable.
 */
@Singleton
public class NodeExecutors implements AutoCloseable {
    // Two, so one cleanup stuck in a hung driver call does not stop the next; more buys nothing on one backend.
    private static final int CLEANUP_THREADS = 2;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("volume-timer"));
    private final ExecutorService cleanup = Executors.newFixedThreadPool(CLEANUP_THREADS, daemon("volume-cleanup"));
    // One: replication cycles of one backend never overlap (a slow cycle delays the next, fixed delay).
    private final ScheduledExecutorService replicator =
            Executors.newSingleThreadScheduledExecutor(daemon("volume-replicator"));

    public ScheduledExecutorService timer() {
        return timer;
    }

    public ExecutorService cleanup() {
        return cleanup;
    }

    public ScheduledExecutorService replicator() {
        return replicator;
    }

    @PreDestroy
    @Override
    public void close() {
        timer.shutdownNow();
        cleanup.shutdownNow();
        replicator.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
