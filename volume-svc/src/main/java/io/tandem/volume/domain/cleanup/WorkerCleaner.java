package io.tandem.volume.domain.cleanup;

import io.tandem.core.error.TandemException;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.volume.domain.lifecycle.EpochFence;
import io.tandem.volume.domain.lifecycle.InFlightVolumes;
import io.tandem.volume.domain.lifecycle.ScopeState;
import io.tandem.volume.domain.lifecycle.VolumeAccess;
import io.tandem.volume.domain.lifecycle.VolumeOperation;
import io.tandem.volume.domain.lifecycle.VolumeWrites;
import io.tandem.volume.domain.node.CapacityPublisher;
import io.tandem.volume.domain.node.ServingNode;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims workers rows nobody will finish and finishes them as the crash-cleanup column of {@link VolumeOperation}
 * says (Cinder's {@code do_cleanup}): creating → error, deleting → delete again, extending → error_extending. Each row
 * is claimed alone with {@link WorkerRows#claim}, a compare-and-swap on (service_id, race_preventer, updated_at), so
 * that of several members cleaning after one dead node exactly one wins each row. A row whose volume is gone or has
 * moved on is simply released, as in Cinder.
 */
@Singleton
public class WorkerCleaner {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCleaner.class);

    /** Why a row has nobody to finish it; the volume's status_reason says so. */
    public enum Cause {
        /** Its holder died (lease expired) or restarted. */
        HOLDER_DIED,
        /** Its holder is this live node, but no call ran on it for longer than the orphan age. */
        ORPHANED
    }

    /** A row this node won, held in flight until {@link #finish} releases it. */
    public record Claimed(WorkerRow row, int previousServiceId, String previousHost, InFlightVolumes.Ticket ticket) {}

    private final DataSource dataSource;
    private final InFlightVolumes inFlight;
    private final CapacityPublisher capacity;
    private final ServiceRepository services;
    private final VolumeRepository volumes;
    private final VolumeWrites writes;
    private final AtomicLong claimed = new AtomicLong();

    public WorkerCleaner(DataSource dataSource, InFlightVolumes inFlight, CapacityPublisher capacity) {
        this.dataSource = dataSource;
        this.inFlight = inFlight;
        this.capacity = capacity;
        this.services = new ServiceRepository(dataSource);
        this.volumes = new VolumeRepository(dataSource);
        this.writes = new VolumeWrites(dataSource);
    }

    /**
     * Claims {@code rows} one by one for this node. Rows that another claimer won, that changed since they were read,
     * or whose volume this node is working on already are skipped.
     */
    public List<Claimed> claim(ServingNode node, List<WorkerRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Optional<TandemException> fenced = fencing(node);
        if (fenced.isPresent()) {
            LOG.warn(
                    "Not cleaning up {} workers row(s): {}",
                    rows.size(),
                    fenced.get().getMessage());
            return List.of();
        }
        Map<Integer, String> hosts = new HashMap<>();
        List<Claimed> won = new ArrayList<>();
        for (WorkerRow row : rows) {
            Optional<UUID> volumeId = volumeId(row);
            if (volumeId.isEmpty() || row.serviceId() == null) {
                continue;
            }
            Optional<InFlightVolumes.Ticket> ticket = inFlight.tryEnter(volumeId.get(), "cleanup");
            if (ticket.isEmpty()) {
                continue;
            }
            Optional<WorkerRow> taken = Transactions.withConnection(
                    dataSource, c -> WorkerRows.claim(c, row, node.identity().serviceId()));
            if (taken.isEmpty()) {
                ticket.get().close();
                continue;
            }
            claimed.incrementAndGet();
            String host = hosts.computeIfAbsent(row.serviceId(), this::hostOf);
            won.add(new Claimed(taken.get(), row.serviceId(), host, ticket.get()));
        }
        return won;
    }

    /**
     * Why this node must not clean up now, if so: it serves an older epoch than the database, or replication-svc fenced
     * it. {@link WorkerRows#claim} carries no fence, and a stale member that claimed rows could not finish them (its
     * finishing writes are fenced) while, being live, nobody else would take them from it; a fenced member takes no
     * work at all until it has converged.
     */
    public Optional<TandemException> fencing(ServingNode node) {
        return EpochFence.of(node).fenced(ScopeState.read(dataSource, node.identity()));
    }

    /** Claims and finishes {@code rows} on the calling thread; returns how many this node won. */
    public int clean(ServingNode node, List<WorkerRow> rows, Cause cause, Duration orphanAge) {
        List<Claimed> won = claim(node, rows);
        for (Claimed row : won) {
            finish(node, row, cause, orphanAge);
        }
        return won.size();
    }

    /**
     * Finishes a claimed row and releases its in-flight hold. Never throws: a failure is logged, the row stays with
     * this node, and the next sweep takes it again once it is older than the orphan age.
     */
    public void finish(ServingNode node, Claimed claimed, Cause cause, Duration orphanAge) {
        WorkerRow row = claimed.row();
        try (InFlightVolumes.Ticket ignored = claimed.ticket()) {
            Optional<VolumeRow> volume = volumes.find(UUID.fromString(row.resourceId()));
            Optional<VolumeOperation> op = VolumeOperation.ofWorkingStatus(row.status());
            if (volume.isEmpty()
                    || op.isEmpty()
                    || !row.status().equals(volume.get().status())) {
                // Nothing left to clean: the operation finished, or the row outlived its volume.
                writes.release(node, row);
                LOG.info(
                        "Released workers row of volume {} ({}): nothing left to clean",
                        row.resourceId(),
                        row.status());
                return;
            }
            VolumeAccess.checkBelongs(node.identity(), volume.get());
            String reason = reason(node, claimed, op.get(), cause, orphanAge);
            switch (op.get().cleanup()) {
                case FAIL -> writes.fail(node, op.get(), volume.get(), row, reason);
                case RUN_AGAIN -> runAgain(node, op.get(), volume.get(), row, reason);
            }
            LOG.info(
                    "Cleaned volume {} ({}) left by {}: {}",
                    row.resourceId(),
                    row.status(),
                    claimed.previousHost(),
                    op.get().cleanup());
            capacity.changed();
        } catch (RuntimeException e) {
            LOG.warn("Cleaning the {} of volume {} failed: {}", row.status(), row.resourceId(), e.getMessage());
        }
    }

    /** Rows this node has won since it started (a test reads it to prove each row had exactly one cleaner). */
    public long claimedCount() {
        return claimed.get();
    }

    private void runAgain(ServingNode node, VolumeOperation op, VolumeRow volume, WorkerRow row, String reason) {
        if (op != VolumeOperation.DELETE) {
            throw new IllegalStateException("no repeat is defined for " + op);
        }
        try {
            node.driver().deleteVolume(VolumeAccess.spec(volume));
        } catch (RuntimeException e) {
            writes.fail(node, op, volume, row, reason + "; deleting again failed: " + e.getMessage());
            return;
        }
        writes.succeed(node, op, volume, row, Map.of());
    }

    private static String reason(ServingNode node, Claimed claimed, VolumeOperation op, Cause cause, Duration age) {
        String what = cause == Cause.HOLDER_DIED
                ? "node " + claimed.previousHost() + " died while " + op.workingStatus()
                : "no call finished the " + op.verb() + " on node " + claimed.previousHost() + " within " + age;
        String extend = op == VolumeOperation.EXTEND ? "; the size is unchanged, retry the extend" : "";
        return what + extend + " (cleaned up by " + node.identity().host() + ")";
    }

    private String hostOf(int serviceId) {
        return services.findById(serviceId).map(ServiceRow::host).orElse("service " + serviceId);
    }

    private static Optional<UUID> volumeId(WorkerRow row) {
        if (!WorkerRows.VOLUME.equals(row.resourceType())) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(row.resourceId()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
