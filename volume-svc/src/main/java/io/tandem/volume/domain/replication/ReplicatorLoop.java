package io.tandem.volume.domain.replication;

import io.tandem.driver.ReplicationReport;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.VolumeSyncFailure;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.Registration;
import io.tandem.membership.ReplicatorHolder;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.volume.config.VolumeNodeConfiguration;
import io.tandem.volume.domain.lifecycle.EpochFence;
import io.tandem.volume.domain.lifecycle.ScopeState;
import io.tandem.volume.domain.node.DriverCalls;
import io.tandem.volume.domain.node.NodeConvergence;
import io.tandem.volume.domain.node.NodeExecutors;
import io.tandem.volume.domain.node.NodeState;
import io.tandem.volume.domain.node.ServingNode;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous replication of the backend, run every {@code replication-interval} by every member and doing work on
 * exactly one: the holder of the backend's replicator key ({@code replicator/<cluster or host>}, on its lease, so it
 * is taken over when the holder dies or stops).
 *
 * <p>A member copies only while all of this holds: it serves with a live lease, the backend's replication status is
 * {@code enabled} with the primary active (replication runs primary → targets; after a failover the copies are the
 * data), the database holds the epoch it serves, and it is not fenced. A member that may not copy gives the key up, so
 * that a stale holder cannot stop replication for the others. A copy in progress stops between volumes as soon as the
 * lease is lost, the key is no longer this lease's, a newer epoch is announced or committed, or the backend leaves
 * {@code enabled} (a failover was claimed). The sync times of the copied volumes are recorded in one statement
 * ({@link SyncTimes}).
 */
@Singleton
public class ReplicatorLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatorLoop.class);
    private static final String ENABLED = "enabled";
    // Statuses whose volume has data on the active site to copy. Not creating (no data yet), deleting, error and the
    // other error_* of failed creates and deletes (the file may be missing or going away), restoring and managing.
    private static final List<String> WITH_DATA = List.of(
            "available",
            "in-use",
            "attaching",
            "detaching",
            "extending",
            "error_extending",
            "backing-up",
            "error_backing-up",
            "uploading",
            "downloading",
            "retyping",
            "reserved",
            "awaiting-transfer",
            "maintenance");
    // How often a running copy re-reads the backend's row: cheap enough between volumes, quick enough to stop a copy
    // soon after a failover is claimed on another member.
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int FAILURES_LOGGED = 5;

    private final DataSource dataSource;
    private final NodeState state;
    private final EtcdMembership membership;
    private final NodeConvergence convergence;
    private final NodeExecutors executors;
    private final VolumeNodeConfiguration config;
    private final SyncTimes syncTimes;
    private volatile Registration holding;
    private volatile ScheduledFuture<?> periodic;
    private volatile boolean closed;

    public ReplicatorLoop(
            DataSource dataSource,
            NodeState state,
            EtcdMembership membership,
            NodeConvergence convergence,
            NodeExecutors executors,
            VolumeNodeConfiguration config) {
        this.dataSource = dataSource;
        this.state = state;
        this.membership = membership;
        this.convergence = convergence;
        this.executors = executors;
        this.config = config;
        this.syncTimes = new SyncTimes(dataSource);
    }

    /** Starts the cycles: the first at once (so a new cluster gets its replicator), then every interval. */
    public void start() {
        long millis = config.getReplicationInterval().toMillis();
        try {
            periodic = executors.replicator().scheduleWithFixedDelay(this::cycle, 0, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The node is stopping.
        }
    }

    /** True while this node holds the replicator key on its live lease (GetNodeStatus.replicator). */
    public boolean holdsKey() {
        Registration held = holding;
        return held != null && held.isLive() && state.registration().orElse(null) == held;
    }

    /** One cycle; never throws, so that the schedule goes on. */
    void cycle() {
        try {
            replicateOnce();
        } catch (RuntimeException e) {
            LOG.warn("Replication cycle failed: {}", e.getMessage());
        }
    }

    private void replicateOnce() {
        ServingNode node = state.nodeOrNull();
        Registration registration = state.registration().orElse(null);
        if (closed || node == null || !state.serving() || registration == null) {
            holding = null;
            return;
        }
        if (!node.driver().capabilities().supportsReplication()
                || node.driverContext().targets().isEmpty()) {
            return;
        }
        String scope = node.identity().scope();
        Optional<String> idle = whyNotCopying(node, ScopeState.read(dataSource, node.identity()));
        if (idle.isPresent()) {
            if (membership.replicators().release(scope, registration)) {
                LOG.info(
                        "{} gave up the replicator key of {}: {}",
                        node.identity().describe(),
                        scope,
                        idle.get());
            }
            holding = null;
            return;
        }
        ReplicatorHolder holder = membership.replicators().claim(scope, registration);
        if (!holder.heldBy(registration)) {
            holding = null;
            return;
        }
        holding = registration;
        List<VolumeSpec> volumes = replicatedVolumes(node);
        if (volumes.isEmpty()) {
            return;
        }
        Guard guard = new Guard(node, registration);
        ReplicationReport report =
                DriverCalls.call("replicate", () -> node.driver().replicate(volumes, guard::keepGoing));
        int recorded = syncTimes.record(node, report.synced());
        logFailures(report.failed());
        LOG.debug(
                "Replication cycle of {}: {} of {} volume(s) synced ({} recorded), {} byte(s) copied, {} failed",
                scope,
                report.synced().size(),
                volumes.size(),
                recorded,
                report.bytesCopied(),
                report.failed().size());
    }

    private static Optional<String> whyNotCopying(ServingNode node, ScopeState scope) {
        if (scope.epoch() != node.served().epoch()) {
            return Optional.of("it serves epoch " + node.served().epoch() + ", the database holds " + scope.epoch());
        }
        if (scope.memberFenced()) {
            return Optional.of("it is fenced");
        }
        if (!ENABLED.equals(scope.replicationStatus())) {
            return Optional.of("replication is " + scope.replicationStatus());
        }
        if (scope.activeBackendId() != null) {
            return Optional.of("the backend serves target " + scope.activeBackendId());
        }
        return Optional.empty();
    }

    private List<VolumeSpec> replicatedVolumes(ServingNode node) {
        List<Object> params = new ArrayList<>();
        String belongs = EpochFence.of(node).volumeBelongsSql(params);
        StringBuilder statuses = new StringBuilder();
        for (String status : WITH_DATA) {
            statuses.append(statuses.isEmpty() ? "?" : ", ?");
            params.add(status);
        }
        String sql = "SELECT id, size_gb, provider_location FROM volumes WHERE " + belongs
                + " AND replication_status = '" + ENABLED + "' AND status IN (" + statuses + ") ORDER BY id";
        return Transactions.withConnection(
                dataSource,
                c -> Queries.list(
                        c,
                        sql,
                        r -> new VolumeSpec(
                                r.getString("id"), r.getInt("size_gb"), r.getString("provider_location"), true),
                        params.toArray()));
    }

    private void logFailures(List<VolumeSyncFailure> failed) {
        for (int i = 0; i < Math.min(failed.size(), FAILURES_LOGGED); i++) {
            LOG.warn(
                    "Volume {} was not replicated: {}",
                    failed.get(i).volumeId(),
                    failed.get(i).message());
        }
        if (failed.size() > FAILURES_LOGGED) {
            LOG.warn("... and {} more volume(s) not replicated this cycle", failed.size() - FAILURES_LOGGED);
        }
    }

    /** Stops the cycles and gives the key up, so that another member takes over at once. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> timer = periodic;
        if (timer != null) {
            timer.cancel(false);
        }
        Registration held = holding;
        holding = null;
        ServingNode node = state.nodeOrNull();
        if (held != null && held.isLive() && node != null) {
            try {
                membership.replicators().release(node.identity().scope(), held);
            } catch (RuntimeException e) {
                LOG.warn("Could not release the replicator key: {}", e.getMessage());
            }
        }
    }

    /** Whether a running copy may go on; asked by the driver between volumes. */
    private final class Guard {
        private final ServingNode node;
        private final Registration registration;
        private final long epoch;
        private long checkedAt = System.nanoTime();
        private boolean scopeAllows = true;

        Guard(ServingNode node, Registration registration) {
            this.node = node;
            this.registration = registration;
            this.epoch = node.served().epoch();
        }

        synchronized boolean keepGoing() {
            if (closed || !registration.isLive() || state.registration().orElse(null) != registration) {
                return false;
            }
            ServingNode current = state.nodeOrNull();
            if (convergence.newestEpochSeen() > epoch
                    || current == null
                    || current.served().epoch() != epoch) {
                return false;
            }
            if (scopeAllows && System.nanoTime() - checkedAt >= RECHECK_NANOS) {
                checkedAt = System.nanoTime();
                try {
                    scopeAllows = whyNotCopying(node, ScopeState.read(dataSource, node.identity()))
                            .isEmpty();
                } catch (RuntimeException e) {
                    scopeAllows = false; // the database is unreachable: nothing could be recorded anyway
                }
            }
            return scopeAllows;
        }
    }
}
