package io.tandem.volume.domain.node;

import io.tandem.core.error.TandemException;
import io.tandem.driver.DriverContext;
import io.tandem.driver.HostReplicationUpdate;
import io.tandem.driver.VolumeDriver;
import io.tandem.driver.VolumeSpec;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.Registration;
import io.tandem.membership.UpdateClaims;
import io.tandem.volume.domain.lifecycle.ScopeState;
import io.tandem.volume.domain.replication.HostReplicationRows;
import io.tandem.volume.domain.replication.ScopeVolumes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 5 of the start (ARCHITECTURE.md): the driver's {@code updateHostReplication}, run by exactly one member of a
 * backend and only when the database says the replication setup changed behind the driver's back, which is what
 * {@code tandem-manage db reset-active-backend} does (offline promote: the scope serves its primary again while its
 * volumes are still failed over, or its replication is {@code disabled} while targets are configured).
 *
 * <p>Fencing, without a lock manager: the member that takes the scope's start-up update claim in etcd (create-if-absent
 * on a lease of the claim's own) moves the scope row to {@code updating} by compare-and-swap, runs the hook, and
 * commits its result by compare-and-swap from {@code updating}. Every other member starting meanwhile finds the claim
 * taken and waits until it is released, then looks again and finds nothing left to do. A claimer that dies loses its
 * lease within the TTL; etcd deletes the claim with it, and a waiting (or restarting) member takes it over and runs
 * the (idempotent) hook again on the scope it finds in {@code updating}. Nothing is ever left stuck.
 *
 * <p>A driver failure puts the scope in {@code error} and the node still starts, serving its site without
 * replication: the operator retries (reset again, or an online promote), which is better than members that never
 * come up.
 */
final class StartupReplicationUpdate {
    private static final Logger LOG = LoggerFactory.getLogger(StartupReplicationUpdate.class);
    private static final long WAIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Duration WAIT_LOG_EVERY = Duration.ofSeconds(10);
    // The statuses a reset leaves (or a start rule sets) while the scope serves its primary: anything else belongs to
    // replication-svc's protocol.
    private static final List<String> RESETTABLE = List.of("disabled", "enabled", "not-capable");

    private final DataSource dataSource;
    private final UpdateClaims claims;
    private final HostReplicationRows rows;

    StartupReplicationUpdate(DataSource dataSource, EtcdMembership membership) {
        this.dataSource = dataSource;
        this.claims = membership.updateClaims();
        this.rows = new HostReplicationRows(dataSource);
    }

    /**
     * Runs the update if the scope needs one (or waits for the member running it) and returns the scope as it is
     * afterwards.
     */
    ScopeState run(NodeIdentity node, VolumeDriver driver, DriverContext context) {
        while (true) {
            ScopeState scope = ScopeState.read(dataSource, node);
            Optional<String> why = reason(node, driver, context, scope);
            if (why.isEmpty()) {
                return scope;
            }
            Optional<Registration> claim = claims.tryClaim(
                    node.scope(),
                    node.host(),
                    (lost, cause) -> LOG.warn(
                            "{}: the start-up update claim of {} was lost ({}); another member takes it over",
                            node.describe(),
                            node.scope(),
                            cause));
            if (claim.isEmpty()) {
                awaitRelease(node);
                continue;
            }
            try (Registration held = claim.get()) {
                Optional<ScopeState> done = updateHolding(node, driver, context, held);
                if (done.isPresent()) {
                    return done.get();
                }
            }
        }
    }

    /** With the claim held: look again, fence, run the hook, commit. Empty = the scope changed meanwhile: look again. */
    private Optional<ScopeState> updateHolding(
            NodeIdentity node, VolumeDriver driver, DriverContext context, Registration held) {
        ScopeState scope = ScopeState.read(dataSource, node);
        Optional<String> why = reason(node, driver, context, scope);
        if (why.isEmpty()) {
            return Optional.of(scope);
        }
        if (!rows.claim(node, scope.replicationStatus(), scope.epoch())) {
            return Optional.empty();
        }
        List<VolumeSpec> volumes = ScopeVolumes.of(dataSource, node);
        LOG.info(
                "{} runs updateHostReplication for {} volume(s) of {}: {}",
                node.describe(),
                volumes.size(),
                node.scope(),
                why.get());
        HostReplicationUpdate result;
        try {
            result = DriverCalls.call(
                    "updateHostReplication",
                    () -> driver.updateHostReplication(scope.replicationStatus(), scope.activeBackendId(), volumes));
        } catch (TandemException e) {
            boolean failed = rows.fail(node, scope.epoch(), scope.activeBackendId());
            LOG.error(
                    "{}: updateHostReplication failed; {} replication status is {}: {}. Fix the cause, then run"
                            + " tandem-manage db reset-active-backend again (offline) or promote online",
                    node.describe(),
                    node.scope(),
                    failed ? "now error" : "unchanged (another member committed first)",
                    e.getMessage());
            return Optional.of(ScopeState.read(dataSource, node));
        }
        if (!held.isLive()) {
            LOG.warn(
                    "{}: the update claim of {} expired while the driver ran; committing only if no other member has",
                    node.describe(),
                    node.scope());
        }
        boolean committed = rows.commit(node, scope.epoch(), result);
        LOG.info(
                "{}: updateHostReplication of {} {}: replication {}, {} volume update(s)",
                node.describe(),
                node.scope(),
                committed ? "committed" : "not committed (another member committed first)",
                result.replicationStatus(),
                result.volumeUpdates().size());
        return Optional.of(ScopeState.read(dataSource, node));
    }

    /**
     * Why the scope needs the hook, or empty when nothing changed. Never while replication-svc has an unfinished
     * journal row for it (a failover or an online promote owns the status; the node converges through it).
     */
    private Optional<String> reason(NodeIdentity node, VolumeDriver driver, DriverContext context, ScopeState scope) {
        String status = scope.replicationStatus();
        if (HostReplicationRows.UPDATING.equals(status)) {
            return rows.journalBusy(node)
                    ? Optional.empty()
                    : Optional.of("its replication status is updating (a start-up update whose member died)");
        }
        if (scope.activeBackendId() != null || !RESETTABLE.contains(status) || rows.journalBusy(node)) {
            return Optional.empty();
        }
        boolean replicates = driver.capabilities().supportsReplication();
        if ("disabled".equals(status) && replicates && !context.targets().isEmpty()) {
            return Optional.of("its replication is disabled (reset) while "
                    + context.targets().size() + " replication target(s) are configured");
        }
        if (ScopeVolumes.anyFailedOver(dataSource, node)) {
            return Optional.of("it serves its primary site while volumes are still failed over (reset)");
        }
        return Optional.empty();
    }

    private void awaitRelease(NodeIdentity node) {
        long started = System.nanoTime();
        long nextLog = started;
        Optional<UpdateClaims.UpdateClaim> holder = claims.holder(node.scope());
        while (holder.isPresent()) {
            if (System.nanoTime() - nextLog >= 0) {
                LOG.info(
                        "{} waits: {} runs updateHostReplication of {} (since {})",
                        node.describe(),
                        holder.get().host(),
                        node.scope(),
                        holder.get().claimedAt());
                nextLog = System.nanoTime() + WAIT_LOG_EVERY.toNanos();
            }
            LockSupport.parkNanos(WAIT_POLL_NANOS);
            holder = claims.holder(node.scope());
        }
    }
}
