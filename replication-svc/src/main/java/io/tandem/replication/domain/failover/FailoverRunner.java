package io.tandem.replication.domain.failover;

import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.ServiceInfo;
import io.tandem.persistence.failover.FailoverRepository;
import io.tandem.persistence.failover.FailoverRow;
import io.tandem.replication.config.ReplicationConfiguration;
import io.tandem.replication.domain.liveness.Liveness;
import io.tandem.replication.domain.members.MemberCalls;
import io.tandem.runtime.config.ServiceConfiguration;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the threads the failover protocol runs on: a bounded pool that runs journal rows (one thread per row while
 * it runs), a pool for the parallel FailoverCompleted calls, and one thread that resumes unfinished rows at start and
 * every {@code tandem.replication.resume-interval}.
 *
 * <p>Resume takes a row when it is unfinished, not running here, and its owner is this instance (a restart, or a run
 * that stopped on an error) or is not alive in etcd ({@code services/replication/<owner>} is gone): the takeover is a
 * compare-and-swap on the owner, so of several instances exactly one wins, and the coordinator continues from the
 * row's phase.
 *
 * <p>At shutdown the pools are interrupted and given {@code tandem.replication.shutdown-timeout} to stop; an
 * interrupted row keeps this instance as owner and is resumed by another instance once this one's lease is gone (or
 * by this one when it starts again).
 */
@Singleton
public class FailoverRunner {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverRunner.class);
    private static final String REPLICATION = "replication";

    private final String self;
    private final FailoverRepository journal;
    private final EtcdMembership membership;
    private final FailoverCoordinator coordinator;
    private final Duration resumeInterval;
    private final Duration shutdownTimeout;
    private final ExecutorService rows;
    private final ExecutorService fanOut;
    private final ScheduledExecutorService resumer;
    private final Map<Long, Boolean> running = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private volatile boolean resumeScheduled;

    public FailoverRunner(
            DataSource dataSource,
            Liveness liveness,
            EtcdMembership membership,
            MemberCalls calls,
            Transitions transitions,
            ReplicationConfiguration config,
            ServiceConfiguration service) {
        this.self = service.getHost();
        this.journal = new FailoverRepository(dataSource);
        this.membership = membership;
        this.resumeInterval = config.getResumeInterval();
        this.shutdownTimeout = config.getShutdownTimeout();
        this.rows = Executors.newFixedThreadPool(Math.max(1, config.getFailoverThreads()), named("failover-"));
        this.fanOut = Executors.newCachedThreadPool(named("failover-complete-"));
        this.resumer = Executors.newSingleThreadScheduledExecutor(named("failover-resume-"));
        this.coordinator = new FailoverCoordinator(
                self, dataSource, liveness, membership, calls, FailoverSettings.of(config), transitions, fanOut);
    }

    /** Runs row {@code id} in the background unless it already runs here. */
    public void submit(long id) {
        if (closed || running.putIfAbsent(id, Boolean.TRUE) != null) {
            return;
        }
        try {
            rows.execute(() -> runRow(id));
        } catch (RejectedExecutionException e) {
            running.remove(id);
        }
    }

    /** Whether row {@code id} runs on this instance now. */
    public boolean isRunning(long id) {
        return running.containsKey(id);
    }

    /** Once the server listens (and this instance is registered), resume now and then every resume interval. */
    @EventListener
    public synchronized void onStartup(ServerStartupEvent event) {
        if (resumeScheduled || closed) {
            return;
        }
        resumeScheduled = true;
        resumer.scheduleWithFixedDelay(
                this::resumeOnce, 0, Math.max(1, resumeInterval.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** One resume scan: takes over and runs every unfinished row that nobody alive drives. */
    void resumeOnce() {
        if (closed) {
            return;
        }
        try {
            var unfinished = journal.unfinished();
            if (unfinished.isEmpty()) {
                return;
            }
            Set<String> liveInstances = membership.liveServices(REPLICATION).stream()
                    .map(ServiceInfo::host)
                    .collect(Collectors.toSet());
            for (FailoverRow row : unfinished) {
                if (running.containsKey(row.id())) {
                    continue;
                }
                String owner = row.owner();
                if (self.equals(owner)) {
                    LOG.info(
                            "Resuming failover {} of {} (phase {}), owned by this instance",
                            row.id(),
                            row.target(),
                            row.phase());
                    submit(row.id());
                } else if ((owner == null || !liveInstances.contains(owner))
                        && journal.takeOver(row.id(), owner, self, null)) {
                    LOG.info(
                            "Took over failover {} of {} (phase {}) from {}, which is gone",
                            row.id(),
                            row.target(),
                            row.phase(),
                            owner);
                    submit(row.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Resume scan failed: {}; retrying in {}", e.getMessage(), resumeInterval);
        }
    }

    private void runRow(long id) {
        try {
            coordinator.run(id);
        } catch (InterruptedException e) {
            LOG.info("Failover {} interrupted; it resumes from its phase later", id);
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Failover {} stopped: {}; it resumes within {}", id, e.getMessage(), resumeInterval, e);
        } finally {
            running.remove(id);
        }
    }

    /**
     * Stops at the very start of the shutdown, before the beans this one uses (the channels to the nodes, the
     * database pool) are closed: a step must never mistake its own process's shutdown for unreachable members.
     */
    @EventListener
    public void onShutdown(ShutdownEvent event) {
        close();
    }

    @PreDestroy
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        resumer.shutdownNow();
        rows.shutdownNow();
        fanOut.shutdownNow();
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        for (ExecutorService pool : new ExecutorService[] {resumer, rows, fanOut}) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!pool.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    LOG.warn("Failover threads did not stop within {}", shutdownTimeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
