package io.tandem.volume.domain.node;

import io.tandem.driver.DriverCapabilities;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.support.ActiveSite;
import io.tandem.membership.CapacityStats;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.volume.domain.lifecycle.ScopeState;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** GetNodeStatus: this node's own view of what it is and serves, and whether the database fences it. */
@Singleton
public class NodeStatusReport {
    private static final String FENCED_MEMBER = "error";

    /**
     * @param activeLocation where the driver's data path points (the active site's location)
     * @param fenced the database holds a newer epoch than the one served, or this member's service row is in
     *     replication status error after a failed FailoverCompleted
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
            Optional<CapacityStats> capacity,
            Instant startedAt) {}

    private final DataSource dataSource;
    private final NodeState state;
    private final CapacityPublisher capacity;

    public NodeStatusReport(DataSource dataSource, NodeState state, CapacityPublisher capacity) {
        this.dataSource = dataSource;
        this.state = state;
        this.capacity = capacity;
    }

    /** The node's status; answers also without a lease (the fields say so). */
    public NodeStatus status() {
        ServingNode node = state.requireStarted();
        boolean fenced = Transactions.withConnection(dataSource, c -> {
            ScopeState scope = ScopeState.read(c, node.identity());
            String own = ScopeState.ownServiceRow(c, node.identity()).replicationStatus();
            return scope.epoch() != node.served().epoch() || FENCED_MEMBER.equals(own);
        });
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
                capacity.lastPublished(),
                state.startedAt());
    }
}
