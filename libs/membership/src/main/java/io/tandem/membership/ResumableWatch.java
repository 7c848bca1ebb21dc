package io.tandem.membership;

import static io.tandem.membership.EtcdCalls.bytes;

import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.tandem.core.retry.Backoff;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An etcd watch of one key or prefix that survives etcd restarts, disconnects and compaction, shared by the member and
 * epoch watches.
 *
 * <p>The watch remembers the next revision it needs. Whenever the underlying jetcd watcher fails or ends, it is
 * abandoned and a new one is opened from exactly that revision, after a backoff, so no change is lost and, because
 * responses of an abandoned watcher are ignored and revisions already delivered are filtered, none is delivered twice.
 * (jetcd's own resume is not relied on: it restarts from the revision in the creation header, which can skip events
 * when a watch from an older revision breaks before catching up.) When that revision has been compacted, the sink
 * lists the current state ({@link Sink#list()}), delivers it as a snapshot, and watching continues from the
 * snapshot's revision + 1 — jetcd's {@code WatchImpl} habit of "list again, then watch".
 *
 * <p>All work runs on one thread per watch, so deliveries are serial and in revision order and a slow listener only
 * delays its own watch.
 */
final class ResumableWatch<S> implements WatchHandle {
    private static final Logger LOG = LoggerFactory.getLogger(ResumableWatch.class);

    /** Translates etcd's view into listener calls; called on the watch thread only. */
    interface Sink<S> {
        /** Reads the current state of the watched range, blocking; throws when etcd cannot be reached. */
        S list();

        long revisionOf(S snapshot);

        void onSnapshot(S snapshot);

        /** Events of one etcd response, in revision order, none of them seen before. */
        void onEvents(List<WatchEvent> events);
    }

    private final EtcdContext ctx;
    private final String key;
    private final boolean prefix;
    private final Sink<S> sink;
    private final ScheduledThreadPoolExecutor thread;
    private final Backoff backoff;
    private final ReentrantLock delivery = new ReentrantLock();

    private volatile boolean closed;
    private volatile long nextRevision;
    // Confined to the watch thread.
    private int generation;
    private int failures;
    private Watch.Watcher watcher;

    private ResumableWatch(EtcdContext ctx, String key, boolean prefix, Sink<S> sink) {
        this.ctx = ctx;
        this.key = key;
        this.prefix = prefix;
        this.sink = sink;
        this.thread = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "tandem-watch " + key);
            t.setDaemon(true);
            return t;
        });
        // Pending retries must not run after close.
        this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.backoff = new Backoff(
                Integer.MAX_VALUE,
                ctx.config().retryInitialDelay(),
                ctx.config().retryMaxDelay());
    }

    /**
     * Starts watching {@code key} (a prefix when {@code prefix}) from {@code fromRevision} inclusive; with {@code
     * fromRevision ≤ 0} it lists first, delivers that snapshot and watches from the revision after it.
     */
    static <S> ResumableWatch<S> start(EtcdContext ctx, String key, boolean prefix, long fromRevision, Sink<S> sink) {
        ResumableWatch<S> watch = new ResumableWatch<>(ctx, key, prefix, sink);
        if (fromRevision > 0) {
            watch.nextRevision = fromRevision;
            watch.submit(watch::connect);
        } else {
            watch.submit(watch::resync);
        }
        return watch;
    }

    @Override
    public long lastRevision() {
        return nextRevision - 1;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        submit(this::abandonWatcher);
        thread.shutdown();
        if (!delivery.isHeldByCurrentThread()) {
            // Wait for a delivery in progress; later ones see `closed` and do nothing.
            delivery.lock();
            delivery.unlock();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        int current = ++generation;
        WatchOption option = WatchOption.builder()
                .withRevision(nextRevision)
                .isPrefix(prefix)
                .withCreateNotify(true)
                .withProgressNotify(true)
                // A member cut off from the etcd leader would otherwise serve a watch that silently stops.
                .withRequireLeader(true)
                .build();
        try {
            watcher = ctx.client()
                    .getWatchClient()
                    .watch(
                            bytes(key),
                            option,
                            Watch.listener(
                                    response -> submit(() -> onResponse(current, response)),
                                    failure -> submit(() -> onBroken(current, failure)),
                                    () -> submit(() -> onBroken(current, null))));
        } catch (RuntimeException e) {
            onBroken(current, e);
        }
    }

    private void onResponse(int from, WatchResponse response) {
        if (from != generation || closed) {
            return;
        }
        if (failures > 0) {
            LOG.info("Watch of {} resumed from revision {}", key, nextRevision);
        }
        failures = 0;
        List<WatchEvent> fresh = response.getEvents().stream()
                .filter(e -> e.getKeyValue().getModRevision() >= nextRevision)
                .toList();
        if (!fresh.isEmpty()) {
            if (deliver(() -> sink.onEvents(fresh))) {
                nextRevision = fresh.get(fresh.size() - 1).getKeyValue().getModRevision() + 1;
            }
        } else if (response.isProgressNotify()) {
            // etcd promises that every change up to the header revision has been sent: resume after it.
            nextRevision = Math.max(nextRevision, response.getHeader().getRevision() + 1);
        }
    }

    private void onBroken(int from, Throwable failure) {
        if (from != generation || closed) {
            return;
        }
        generation++;
        abandonWatcher();
        Throwable cause = EtcdCalls.unwrap(failure);
        if (isPermanent(cause)) {
            LOG.error("Watch of {} stopped for good: its etcd client is closed", key);
            closed = true;
            thread.shutdown();
            return;
        }
        if (cause instanceof CompactedException compacted) {
            LOG.info(
                    "Watch of {} needs revision {} but etcd compacted up to {}: listing again",
                    key,
                    nextRevision,
                    compacted.getCompactedRevision());
            submit(this::resync);
            return;
        }
        failures++;
        long delay = backoff.delayAfter(failures).toMillis();
        String reason = cause == null ? "stream ended" : cause.getMessage();
        // One line per outage, not one per retry: the retries of a long outage go to DEBUG.
        if (failures == 1) {
            LOG.info("Watch of {} broke ({}); resuming from revision {}", key, reason, nextRevision);
        } else {
            LOG.debug("Watch of {} still broken ({}); retry {} in {} ms", key, reason, failures, delay);
        }
        schedule(this::connect, delay);
    }

    private void resync() {
        if (closed) {
            return;
        }
        S snapshot;
        try {
            snapshot = sink.list();
        } catch (RuntimeException e) {
            failures++;
            long delay = backoff.delayAfter(failures).toMillis();
            LOG.info("Listing {} failed ({}); trying again in {} ms", key, e.getMessage(), delay);
            schedule(this::resync, delay);
            return;
        }
        failures = 0;
        if (deliver(() -> sink.onSnapshot(snapshot))) {
            nextRevision = sink.revisionOf(snapshot) + 1;
            connect();
        }
    }

    /** A closed client never recovers; retrying would spin until the JVM exits. */
    private static boolean isPermanent(Throwable cause) {
        if (cause instanceof ClosedClientException) {
            return true;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Channel shutdown")) {
                return true;
            }
        }
        return false;
    }

    /** Runs one listener delivery unless closed; returns false when closed. A failing listener is logged, not fatal. */
    private boolean deliver(Runnable call) {
        delivery.lock();
        try {
            if (closed) {
                return false;
            }
            call.run();
        } catch (RuntimeException e) {
            LOG.error("Listener of the watch of {} failed; the watch goes on", key, e);
        } finally {
            delivery.unlock();
        }
        return true;
    }

    private void abandonWatcher() {
        Watch.Watcher old = watcher;
        watcher = null;
        if (old != null) {
            try {
                old.close();
            } catch (RuntimeException e) {
                LOG.debug("closing an abandoned watcher of {} failed: {}", key, e.toString());
            }
        }
    }

    private void submit(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // Closed: nothing more to do.
        }
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            thread.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed: nothing more to do.
        }
    }
}
