package io.tandem.volume.domain.replication;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.driver.FailoverResult;
import io.tandem.driver.InvalidReplicationTargetException;
import io.tandem.driver.VolumeSpec;
import io.tandem.volume.domain.lifecycle.EpochFence;
import io.tandem.volume.domain.lifecycle.ScopeState;
import io.tandem.volume.domain.node.DriverCalls;
import io.tandem.volume.domain.node.NodeState;
import io.tandem.volume.domain.node.ServingNode;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover (step 2 of the protocol, "promote"): the storage side of a failover or failback that replication-svc has
 * claimed. The node checks the journal row, lists every volume of its cluster (or host) and hands them to the driver's
 * {@code failover} ({@code failoverHost} when not clustered, which also switches its own data path); it writes no row,
 * replication-svc commits the result.
 *
 * <p>A retry with the same journal id promotes nothing twice on this node: calls are single-flight per id (a retry
 * arriving while the first call runs waits for its result) and the result is kept for later retries. Across members
 * and crashes the driver's own idempotence covers it. Every volume is passed, whatever its status, as Cinder does: the
 * driver decides, and non-replicated volumes come back as errors.
 */
@Singleton
public class FailoverPromotion {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverPromotion.class);
    private final DataSource dataSource;
    private final NodeState state;
    private final FailoverJournal journal;
    private final SingleFlight<FailoverResult> runs = new SingleFlight<>("Failover");

    public FailoverPromotion(DataSource dataSource, NodeState state) {
        this.dataSource = dataSource;
        this.state = state;
        this.journal = new FailoverJournal(dataSource);
    }

    /**
     * Promotes {@code secondaryBackendId} ({@code default} = fail back) for journal row {@code failoverId}.
     *
     * @return the active backend after the commit (null = the primary) and one update per volume that changes
     * @throws InvalidArgumentException when the id is empty or the driver does not know it as a target
     * @throws FailedPreconditionException when the journal row does not match, or the node is stale or fenced
     * @throws io.tandem.driver.DriverException when the driver failed (INTERNAL)
     */
    public FailoverResult promote(long failoverId, String secondaryBackendId, OptionalLong expectedEpoch) {
        ServingNode node = state.requireServing();
        node.checkExpectedEpoch(expectedEpoch);
        if (secondaryBackendId == null || secondaryBackendId.isBlank()) {
            throw new InvalidArgumentException("secondary_backend_id must name a replication target, or 'default'"
                    + " to fail back to the primary");
        }
        EpochFence.of(node).fenced(ScopeState.read(dataSource, node.identity())).ifPresent(refusal -> {
            throw refusal;
        });
        journal.promoting(node.identity(), failoverId, secondaryBackendId);
        if (runs.known(failoverId)) {
            LOG.info("Failover {}: a retry waits for the promotion already run or running here", failoverId);
        }
        return runs.run(failoverId, secondaryBackendId, () -> run(node, failoverId, secondaryBackendId));
    }

    private FailoverResult run(ServingNode node, long failoverId, String secondaryBackendId) {
        List<VolumeSpec> volumes = ScopeVolumes.of(dataSource, node.identity());
        boolean clustered = node.identity().clustered();
        LOG.info(
                "Failover {}: {} promotes {} for {} volume(s)",
                failoverId,
                node.identity().describe(),
                secondaryBackendId,
                volumes.size());
        try {
            FailoverResult result = DriverCalls.call(
                    (clustered ? "failover" : "failoverHost") + " to " + secondaryBackendId,
                    () -> clustered
                            ? node.driver().failover(volumes, secondaryBackendId)
                            : node.driver().failoverHost(volumes, secondaryBackendId));
            LOG.info(
                    "Failover {}: promoted; active backend {}, {} volume update(s)",
                    failoverId,
                    result.activeBackendId() == null ? "default" : result.activeBackendId(),
                    result.volumeUpdates().size());
            return result;
        } catch (InvalidReplicationTargetException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
    }
}
