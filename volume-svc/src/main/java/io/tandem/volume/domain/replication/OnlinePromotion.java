package io.tandem.volume.domain.replication;

import io.tandem.core.BackendIds;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.driver.DriverContext;
import io.tandem.driver.HostReplicationUpdate;
import io.tandem.driver.InvalidReplicationTargetException;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.VolumeSpec;
import io.tandem.persistence.failover.FailoverRow;
import io.tandem.persistence.targets.ReplicationTargetRepository;
import io.tandem.persistence.targets.SiteRow;
import io.tandem.volume.domain.lifecycle.EpochFence;
import io.tandem.volume.domain.lifecycle.ScopeState;
import io.tandem.volume.domain.node.DriverCalls;
import io.tandem.volume.domain.node.NodeState;
import io.tandem.volume.domain.node.ServingNode;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's step of an online promote (VolumeService.UpdateHostReplication): the site the backend serves now
 * becomes its primary and replicates to the new targets. The node checks the journal row (a promote of its own scope,
 * in phase promoting), sets its driver up with the new roles ({@code reconfigure}: primary = the served site's
 * location as {@code replication_targets} holds it, targets = the new ones) and runs {@code updateHostReplication}
 * on every volume. It writes no row: replication-svc commits the result with the new sites and an epoch increment,
 * and FailoverCompleted then brings every other member to the same roles.
 *
 * <p>Single-flight per journal id, as the failover's promote step: a retry after a deadline gets the first answer.
 */
@Singleton
public class OnlinePromotion {
    private static final Logger LOG = LoggerFactory.getLogger(OnlinePromotion.class);
    private static final String DEFAULT = BackendIds.PRIMARY;

    private final DataSource dataSource;
    private final NodeState state;
    private final FailoverJournal journal;
    private final ReplicationTargetRepository sites;
    private final SingleFlight<HostReplicationUpdate> runs = new SingleFlight<>("Promote");

    public OnlinePromotion(DataSource dataSource, NodeState state) {
        this.dataSource = dataSource;
        this.state = state;
        this.journal = new FailoverJournal(dataSource);
        this.sites = new ReplicationTargetRepository(dataSource);
    }

    /**
     * Makes the served site the primary with {@code newTargets}, for journal row {@code failoverId}.
     *
     * @return the backend's replication status after the commit, and one update per volume
     * @throws InvalidArgumentException a target with an empty or {@code default} backend id, an empty location, a
     *     duplicate, or the promoted site itself; or the driver refused a target
     * @throws FailedPreconditionException the journal row does not match; the node is stale or fenced; the served site
     *     has no row in {@code replication_targets}
     * @throws io.tandem.driver.DriverException the driver failed (INTERNAL)
     */
    public HostReplicationUpdate promote(long failoverId, List<ReplicationTarget> newTargets, OptionalLong expected) {
        ServingNode node = state.requireServing();
        node.checkExpectedEpoch(expected);
        checkTargets(newTargets);
        ScopeState scope = ScopeState.read(dataSource, node.identity());
        EpochFence.of(node).fenced(scope).ifPresent(refusal -> {
            throw refusal;
        });
        FailoverRow row = journal.promotingPromote(node.identity(), failoverId);
        if (runs.known(failoverId)) {
            LOG.info("Promote {}: a retry waits for the update already run or running here", failoverId);
        }
        return runs.run(failoverId, newTargets, () -> run(node, scope, row, newTargets));
    }

    private HostReplicationUpdate run(
            ServingNode node, ScopeState scope, FailoverRow row, List<ReplicationTarget> newTargets) {
        String promoted = promotedLocation(node, scope.activeBackendId());
        for (ReplicationTarget target : newTargets) {
            if (target.location().equals(promoted)) {
                throw new InvalidArgumentException(
                        "Target " + target.backendId() + " is at " + promoted + ", the site being promoted to primary");
            }
        }
        DriverContext current = node.driverContext();
        DriverContext roles =
                new DriverContext(current.host(), current.backend(), null, promoted, newTargets, current.options());
        List<VolumeSpec> volumes = ScopeVolumes.of(dataSource, node.identity());
        LOG.info(
                "Promote {}: {} makes {} the primary of {} with targets {} ({} volume(s))",
                row.id(),
                node.identity().describe(),
                promoted,
                node.identity().scope(),
                newTargets,
                volumes.size());
        DriverCalls.run(
                "reconfigure for promote " + row.id(), () -> node.driver().reconfigure(roles));
        state.reconfigured(roles);
        try {
            HostReplicationUpdate result =
                    DriverCalls.call("updateHostReplication for promote " + row.id(), () -> node.driver()
                            .updateHostReplication(row.previousStatus(), null, volumes));
            LOG.info(
                    "Promote {}: replication {}, {} volume update(s)",
                    row.id(),
                    result.replicationStatus(),
                    result.volumeUpdates().size());
            return result;
        } catch (RuntimeException e) {
            // Nothing will be committed: the driver goes back to the roles the database still holds.
            restore(node, current, row.id());
            if (e instanceof InvalidReplicationTargetException invalid) {
                throw new InvalidArgumentException(invalid.getMessage());
            }
            throw e;
        }
    }

    private void restore(ServingNode node, DriverContext previous, long promoteId) {
        try {
            DriverCalls.run("reconfigure back after promote " + promoteId, () -> node.driver()
                    .reconfigure(previous));
            state.reconfigured(previous);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Promote {}: {} could not take its previous site roles back ({}); it converges on the next"
                            + " epoch or at its restart",
                    promoteId,
                    node.identity().describe(),
                    e.getMessage());
        }
    }

    /** Where the served site lives, as the table holds it: the primary's row, or the active target's row. */
    private String promotedLocation(ServingNode node, String activeBackendId) {
        String wanted = activeBackendId == null ? DEFAULT : activeBackendId;
        for (SiteRow site : sites.sites(node.identity().scope())) {
            if (activeBackendId == null ? site.primary() : site.backendId().equals(activeBackendId)) {
                return site.location();
            }
        }
        if (activeBackendId == null && node.driverContext().primaryLocation() != null) {
            return node.driverContext().primaryLocation();
        }
        throw new FailedPreconditionException("The site " + wanted + " that "
                + node.identity().scope() + " serves has no row in replication_targets; nothing to promote");
    }

    private static void checkTargets(List<ReplicationTarget> targets) {
        Set<String> ids = new HashSet<>();
        Set<String> locations = new HashSet<>();
        for (ReplicationTarget target : targets) {
            String id = target.backendId();
            if (id == null || id.isBlank() || DEFAULT.equals(id)) {
                throw new InvalidArgumentException(
                        "A new target needs a backend id other than '' and 'default', not '" + id + "'");
            }
            if (target.location() == null || target.location().isBlank()) {
                throw new InvalidArgumentException("Target " + id + " needs a location");
            }
            if (!ids.add(id)) {
                throw new InvalidArgumentException("Target " + id + " is given twice");
            }
            if (!locations.add(target.location())) {
                throw new InvalidArgumentException("Location " + target.location() + " is given twice");
            }
        }
    }
}
