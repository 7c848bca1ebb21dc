package io.tandem.volume.domain.cleanup;

import io.tandem.core.ServiceBinary;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.MemberSnapshot;
import io.tandem.membership.MembershipListener;
import io.tandem.membership.WatchHandle;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.volume.config.VolumeNodeConfiguration;
import io.tandem.volume.domain.node.NodeExecutors;
import io.tandem.volume.domain.node.NodeState;
import io.tandem.volume.domain.node.ServingNode;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash cleanup in a cluster: the node watches its cluster's member keys, and when one vanishes (its lease expired, or
 * it stopped) and has not come back after {@code cleanup-grace}, the node claims the dead member's workers rows and
 * finishes them ({@link WorkerCleaner}). Every live member does the same; the per-row compare-and-swap gives each row
 * to exactly one of them. The watch's first listing, and each resync after a compaction, cleans up after services of
 * the cluster that are not live at all, so rows of members that died while nobody watched are found too.
 */
@Singleton
public class DeadMemberCleanup implements MembershipListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadMemberCleanup.class);
    private static final String VOLUME = ServiceBinary.VOLUME.stored();

    private final EtcdMembership membership;
    private final NodeState state;
    private final WorkerCleaner cleaner;
    private final NodeExecutors executors;
    private final VolumeNodeConfiguration config;
    private final ServiceRepository services;
    private final DataSource dataSource;
    private volatile WatchHandle watch;

    public DeadMemberCleanup(
            DataSource dataSource,
            EtcdMembership membership,
            NodeState state,
            WorkerCleaner cleaner,
            NodeExecutors executors,
            VolumeNodeConfiguration config) {
        this.membership = membership;
        this.state = state;
        this.cleaner = cleaner;
        this.executors = executors;
        this.config = config;
        this.services = new ServiceRepository(dataSource);
        this.dataSource = dataSource;
    }

    /** Starts watching {@code cluster}; a non-clustered node has nobody to clean up after but itself. */
    public void start(String cluster) {
        if (cluster != null) {
            watch = membership.watchMembers(cluster, this);
        }
    }

    @Override
    public void resynced(MemberSnapshot snapshot) {
        Set<String> live = snapshot.members().stream().map(MemberInfo::host).collect(Collectors.toSet());
        submit(() -> cleanServicesNotIn(live));
    }

    @Override
    public void left(String host) {
        ServingNode node = state.nodeOrNull();
        if (node == null || host.equals(node.identity().host())) {
            return; // our own key: LiveRegistration registers again, and our rows stay ours
        }
        try {
            executors
                    .timer()
                    .schedule(
                            () -> submit(() -> cleanIfStillGone(host)),
                            config.getCleanupGrace().toMillis(),
                            TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    @Override
    public void joined(MemberInfo member) {
        // A member that comes back finishes its own operations.
    }

    @Override
    public void updated(MemberInfo member) {
        // New epoch or capacity: nothing to clean.
    }

    /** Claims and finishes the rows of every volume service of this node's cluster whose host is not in {@code live}. */
    public void cleanServicesNotIn(Set<String> live) {
        Optional<ServingNode> node = servingNode();
        if (node.isEmpty() || !node.get().identity().clustered()) {
            return;
        }
        for (ServiceRow service : services.listByCluster(node.get().identity().cluster())) {
            if (VOLUME.equals(service.binary())
                    && service.id() != node.get().identity().serviceId()
                    && !live.contains(service.host())) {
                cleanService(node.get(), service);
            }
        }
    }

    @Override
    public void close() {
        WatchHandle handle = watch;
        if (handle != null) {
            handle.close();
        }
    }

    private void cleanIfStillGone(String host) {
        Optional<ServingNode> node = servingNode();
        if (node.isEmpty()) {
            return;
        }
        if (membership.member(node.get().identity().cluster(), host).isPresent()) {
            LOG.info("Member {} registered again within the grace period; it finishes its own work", host);
            return;
        }
        services.find(host, VOLUME).ifPresent(service -> cleanService(node.get(), service));
    }

    private void cleanService(ServingNode node, ServiceRow dead) {
        // Rows younger than the grace may be work dispatched to a member that is registering right now.
        Instant before = Instant.now().minus(config.getCleanupGrace());
        List<WorkerRow> rows = Transactions.withConnection(
                dataSource, c -> WorkerRows.listByServicesUpdatedBefore(c, List.of(dead.id()), before));
        if (rows.isEmpty()) {
            return;
        }
        int won = cleaner.clean(node, rows, WorkerCleaner.Cause.HOLDER_DIED, config.getOrphanAge());
        LOG.info("Member {} is gone: this node cleaned {} of its {} workers row(s)", dead.host(), won, rows.size());
    }

    // A node without its lease takes no work, cleanup included; the others (or a later sweep) do it.
    private Optional<ServingNode> servingNode() {
        return state.serving() ? Optional.of(state.nodeOrNull()) : Optional.empty();
    }

    private void submit(Runnable work) {
        try {
            executors.cleanup().execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warn("Crash cleanup failed: {}; the next sweep retries", e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }
}
