package io.tandem.volume.domain.cleanup;

import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.volume.config.VolumeNodeConfiguration;
import io.tandem.volume.domain.lifecycle.InFlightVolumes;
import io.tandem.volume.domain.node.NodeExecutors;
import io.tandem.volume.domain.node.NodeState;
import io.tandem.volume.domain.node.ServingNode;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net under event-driven cleanup, every {@code cleanup-interval}: rows of cluster members that are not live
 * (an etcd event this node missed while it had no lease), and this node's own rows that no call has run for longer
 * than {@code orphan-age} (the scheduler crashed between its insert and the dispatch, a dispatch was lost, or a
 * finishing write failed because PostgreSQL was unreachable). Without it such a volume would stay in creating until
 * this node restarts.
 */
@Singleton
public class CleanupSweep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupSweep.class);

    private final EtcdMembership membership;
    private final NodeState state;
    private final InFlightVolumes inFlight;
    private final WorkerCleaner cleaner;
    private final DeadMemberCleanup deadMembers;
    private final NodeExecutors executors;
    private final VolumeNodeConfiguration config;
    private final DataSource dataSource;
    private volatile ScheduledFuture<?> periodic;

    public CleanupSweep(
            DataSource dataSource,
            EtcdMembership membership,
            NodeState state,
            InFlightVolumes inFlight,
            WorkerCleaner cleaner,
            DeadMemberCleanup deadMembers,
            NodeExecutors executors,
            VolumeNodeConfiguration config) {
        this.membership = membership;
        this.state = state;
        this.inFlight = inFlight;
        this.cleaner = cleaner;
        this.deadMembers = deadMembers;
        this.executors = executors;
        this.config = config;
        this.dataSource = dataSource;
    }

    public void start() {
        long millis = config.getCleanupInterval().toMillis();
        periodic = executors
                .timer()
                .scheduleWithFixedDelay(
                        () -> executors.cleanup().execute(this::sweepQuietly), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One sweep on the calling thread. */
    public void sweep() {
        if (!state.serving()) {
            return;
        }
        ServingNode node = state.nodeOrNull();
        if (node.identity().clustered()) {
            Set<String> live = membership.liveMembers(node.identity().cluster()).members().stream()
                    .map(MemberInfo::host)
                    .collect(Collectors.toSet());
            deadMembers.cleanServicesNotIn(live);
        }
        Instant before = Instant.now().minus(config.getOrphanAge());
        List<WorkerRow> orphans = Transactions.withConnection(
                        dataSource,
                        c -> WorkerRows.listByServicesUpdatedBefore(
                                c, List.of(node.identity().serviceId()), before))
                .stream()
                .filter(row -> !running(row))
                .toList();
        if (!orphans.isEmpty()) {
            int won = cleaner.clean(node, orphans, WorkerCleaner.Cause.ORPHANED, config.getOrphanAge());
            LOG.info(
                    "Cleaned {} orphaned workers row(s) of {}",
                    won,
                    node.identity().describe());
        }
    }

    @Override
    public void close() {
        ScheduledFuture<?> timer = periodic;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private boolean running(WorkerRow row) {
        try {
            return inFlight.contains(UUID.fromString(row.resourceId()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("Cleanup sweep failed: {}; retrying in {}", e.getMessage(), config.getCleanupInterval());
        }
    }
}
