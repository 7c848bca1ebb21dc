package io.tandem.volume.domain.lifecycle;

import io.tandem.core.error.BackendBusyException;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.FrozenBackendException;
import io.tandem.persistence.cas.Condition;
import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.volume.domain.node.ServingNode;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a volume's workers row before the driver runs (docs/volume-protocol.md): the row the scheduler wrote must name
 * this node, or nobody yet; anything else belongs to another call. Taking is one compare-and-swap on what was read
 * (id, holder, race_preventer, updated_at) that also bumps race_preventer, as Cinder's {@code set_worker} does, and
 * carries the fence: the backend still serves this node's epoch and takes management operations. So of two nodes
 * racing for an unassigned row exactly one wins, a scheduler that redispatches a row this node has already taken
 * loses its own compare-and-swap, and a frozen or stale node runs nothing.
 */
final class WorkerTakeover {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerTakeover.class);

    private final DataSource dataSource;
    private final ServiceRepository services;
    private final VolumeWrites writes;

    WorkerTakeover(DataSource dataSource) {
        this.dataSource = dataSource;
        this.writes = new VolumeWrites(dataSource);
        this.services = new ServiceRepository(dataSource);
    }

    /**
     * Takes the workers row of {@code volume} for {@code op}.
     *
     * @return the row as taken; its race_preventer proves the hold in the finishing writes
     * @throws FailedPreconditionException when there is no row, another service holds it, it is for another
     *     operation, the backend is frozen ({@code FrozenBackendException}), this node is stale
     *     ({@code StaleEpochException}) or another call took it first
     */
    WorkerRow take(ServingNode node, VolumeOperation op, VolumeRow volume) {
        int own = node.identity().serviceId();
        WorkerRow seen = find(volume)
                .orElseThrow(() -> new FailedPreconditionException("Volume " + volume.id() + " is " + volume.status()
                        + " but has no workers row; the scheduler writes it together with the status change"));
        if (seen.serviceId() != null && seen.serviceId() != own) {
            throw heldElsewhere(volume, seen);
        }
        if (!op.workingStatus().equals(seen.status())) {
            throw new FailedPreconditionException("The workers row of volume " + volume.id() + " is for "
                    + seen.status() + ", not " + op.workingStatus());
        }
        EpochFence fence = EpochFence.of(node);
        List<WorkerRow> taken = ConditionalUpdate.table("workers")
                .eq("id", seen.id())
                .eq("service_id", seen.serviceId())
                .eq("race_preventer", seen.racePreventer())
                .eq("updated_at", seen.updatedAt())
                .where(Condition.sql(
                        "EXISTS (SELECT 1 FROM volumes v WHERE v.id = ? AND v.status = ?)",
                        volume.id(),
                        op.workingStatus()))
                .where(fence.acceptsManagement())
                .set("service_id", own)
                .setExpression("race_preventer", "race_preventer + 1")
                .executeReturning(dataSource, WorkerRow::from);
        if (taken.isEmpty()) {
            RuntimeException why = whyNotTaken(node, fence, volume);
            if (why instanceof FrozenBackendException || why instanceof BackendBusyException) {
                // The backend refuses management now: the operation ends here instead of waiting for a sweep.
                boolean recorded = writes.refuse(node, op, volume, seen, why.getMessage());
                LOG.info(
                        "Refused to {} volume {}: {}{}",
                        op.verb(),
                        volume.id(),
                        why.getMessage(),
                        recorded ? "" : " (the volume had moved on; nothing recorded)");
            }
            throw why;
        }
        return taken.get(0);
    }

    private Optional<WorkerRow> find(VolumeRow volume) {
        return Transactions.withConnection(
                dataSource,
                c -> WorkerRows.findByResource(c, WorkerRows.VOLUME, volume.id().toString()));
    }

    // Only picks the message; the compare-and-swap above has decided already.
    private RuntimeException whyNotTaken(ServingNode node, EpochFence fence, VolumeRow volume) {
        Optional<RuntimeException> scope = fence.refusal(ScopeState.read(dataSource, node.identity()), true)
                .map(RuntimeException.class::cast);
        if (scope.isPresent()) {
            return scope.get();
        }
        return find(volume)
                .filter(now -> now.serviceId() != null
                        && now.serviceId() != node.identity().serviceId())
                .map(now -> heldElsewhere(volume, now))
                .orElseGet(() -> new FailedPreconditionException("Volume " + volume.id()
                        + " is busy: another call took its workers row first (or the volume left "
                        + volume.status() + ")"));
    }

    private FailedPreconditionException heldElsewhere(VolumeRow volume, WorkerRow row) {
        String holder = services.findById(row.serviceId())
                .map(ServiceRow::host)
                .map(host -> "service " + row.serviceId() + " (" + host + ")")
                .orElse(row.holder());
        return new FailedPreconditionException("Volume " + volume.id() + " is held by " + holder + " for "
                + row.status() + " since " + row.createdAt() + "; only the holder runs the operation");
    }
}
