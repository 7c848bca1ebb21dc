package io.tandem.volume.domain.node;

import io.tandem.driver.DriverCapabilities;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.support.ActiveSite;
import io.tandem.membership.CapacityStats;
import io.tandem.volume.domain.lifecycle.EpochFence;
import io.tandem.volume.domain.lifecycle.ScopeState;
import io.tandem.volume.domain.replication.ReplicatorLoop;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** GetNodeStatus: this node's own view of what it is and serves, and whether the database fences it. */
@Singleton
public class NodeStatusReport {
    /**
     * @param activeLocation where the driver's data path points (the active site's location)
     * @param fenced the database holds a newer epoch than the one served, or this member's service row is in
     *     replication status error after a failed FailoverCompleted
     * @param replicator this node holds the backend's replicator key
     * @param capacity as last published in etcd
     */
    public record NodeStatus(
            NodeIdentity identity,
            ServedBackend served,
            DriverCapabilities capabilities,
            List<String> targetIds,
            String activeLocation,
            boolean leaseLive,
            boolean fenced,
            boolean replicator,
            Optional<CapacityStats> capacity,
            Instant startedAt) {}

    private final DataSource dataSource;
    private final NodeState state;
    private final CapacityPublisher capacity;
    private final ReplicatorLoop replicator;

    public NodeStatusReport(
            DataSource dataSource, NodeState state, CapacityPublisher capacity, ReplicatorLoop replicator) {
        this.dataSource = dataSource;
        this.state = state;
        this.capacity = capacity;
        this.replicator = replicator;
    }

    /** The node's status; answers also without a lease (the fields say so). */
    public NodeStatus status() {
        ServingNode node = state.requireStarted();
        ScopeState scope = ScopeState.read(dataSource, node.identity());
        boolean fenced = EpochFence.of(node).fenced(scope).isPresent();
        return new NodeStatus(
                node.identity(),
                node.served(),
                node.driver().capabilities(),
                node.driverContext().targets().stream()
                        .map(ReplicationTarget::backendId)
                        .toList(),
                ActiveSite.resolve(node.driverContext()).location(),
                state.leaseLive(),
                fenced,
                replicator.holdsKey(),
                capacity.lastPublished(),
                state.startedAt());
    }
}
