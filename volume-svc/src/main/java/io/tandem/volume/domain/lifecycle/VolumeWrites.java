package io.tandem.volume.domain.lifecycle;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.persistence.cas.Condition;
import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.volume.domain.node.ServingNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The writes that end an operation, each one transaction: the volume's status change (or, for a delete, the row's
 * removal) as a compare-and-swap, then the release of the workers row. The compare-and-swap expects the working status
 * of {@link VolumeOperation}, the served epoch, and that this node still holds the workers row exactly as it took it:
 * a cleaner or the scheduler that took the row over meanwhile owns the outcome, and this node's result is dropped.
 */
public final class VolumeWrites {
    private static final int MAX_REASON = 1000;
    private static final String HOLDS_ROW =
            "EXISTS (SELECT 1 FROM workers w WHERE w.id = ? AND w.service_id = ? AND w.race_preventer = ?)";

    private final DataSource dataSource;

    public VolumeWrites(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records success: the volume moves to the success status with {@code values} set, or its row is deleted.
     *
     * @return the row afterwards; empty when it was deleted
     * @throws FailedPreconditionException (or {@code StaleEpochException}) when the write lost; nothing changed
     */
    public Optional<VolumeRow> succeed(
            ServingNode node, VolumeOperation op, VolumeRow volume, WorkerRow held, Map<String, Object> values) {
        return Transactions.inTransaction(dataSource, c -> {
            Optional<VolumeRow> after;
            if (op.successRemovesRow()) {
                after = Optional.empty();
                if (deleteVolume(c, node, op, volume, held) == 0) {
                    throw lost(c, node, op, volume, held, "deletion");
                }
            } else {
                ConditionalUpdate update = expecting(node, op, volume, held)
                        .set("status", op.successStatus())
                        .set("status_reason", null);
                values.forEach(update::set);
                after = update.executeReturning(c, VolumeRow::from).stream().findFirst();
                if (after.isEmpty()) {
                    throw lost(c, node, op, volume, held, op.successStatus());
                }
            }
            WorkerRows.delete(c, held.id(), node.identity().serviceId());
            return after;
        });
    }

    /**
     * Records failure: the volume moves to the failure status with {@code reason} for operators.
     *
     * @return the row afterwards
     * @throws FailedPreconditionException (or {@code StaleEpochException}) when the write lost; nothing changed
     */
    public VolumeRow fail(ServingNode node, VolumeOperation op, VolumeRow volume, WorkerRow held, String reason) {
        return Transactions.inTransaction(dataSource, c -> {
            Optional<VolumeRow> after = expecting(node, op, volume, held)
                    .set("status", op.failureStatus())
                    .set("status_reason", truncate(reason))
                    .executeReturning(c, VolumeRow::from)
                    .stream()
                    .findFirst();
            if (after.isEmpty()) {
                throw lost(c, node, op, volume, held, op.failureStatus());
            }
            WorkerRows.delete(c, held.id(), node.identity().serviceId());
            return after.get();
        });
    }

    /**
     * Records that the backend refused the operation before it started: frozen, or claimed by a failover or promote
     * after the scheduler had placed the work. A create ends in {@code error}, a delete or extend returns to the status
     * it came from ({@code previous_status}, which the scheduler set), with the refusal as the reason, and the workers
     * row goes. Without this the volume would sit in its working status until the orphan sweep, and a failover's drain
     * would wait for it.
     *
     * @param seen the workers row as read before the refused take (unheld, or handed to this node)
     * @return false when something else moved the volume or the row meanwhile; then nothing changed
     */
    public boolean refuse(ServingNode node, VolumeOperation op, VolumeRow volume, WorkerRow seen, String reason) {
        EpochFence fence = EpochFence.of(node);
        ConditionalUpdate update =
                ConditionalUpdate.table("volumes").eq("id", volume.id()).eq("status", op.workingStatus());
        for (Condition belongs : fence.volumeBelongs()) {
            update.where(belongs);
        }
        update.where(fence.servedEpoch())
                .where(Condition.sql(
                        "EXISTS (SELECT 1 FROM workers w WHERE w.id = ? AND w.race_preventer = ?"
                                + " AND w.service_id IS NOT DISTINCT FROM ?)",
                        seen.id(),
                        seen.racePreventer(),
                        seen.serviceId()))
                // A create has no previous status: it ends in error, as a create no backend would take.
                .setExpression("status", "COALESCE(previous_status, 'error')")
                .set("status_reason", truncate(reason));
        return Transactions.inTransaction(dataSource, c -> {
            if (update.execute(c) == 0) {
                return false;
            }
            Queries.update(
                    c, "DELETE FROM workers WHERE id = ? AND race_preventer = ?", seen.id(), seen.racePreventer());
            return true;
        });
    }

    /** Deletes a held workers row without touching the volume (a cleaner found nothing left to clean). */
    public boolean release(ServingNode node, WorkerRow held) {
        return Transactions.withConnection(
                dataSource, c -> WorkerRows.delete(c, held.id(), node.identity().serviceId()));
    }

    private static ConditionalUpdate expecting(ServingNode node, VolumeOperation op, VolumeRow volume, WorkerRow held) {
        EpochFence fence = EpochFence.of(node);
        ConditionalUpdate update =
                ConditionalUpdate.table("volumes").eq("id", volume.id()).eq("status", op.workingStatus());
        for (Condition belongs : fence.volumeBelongs()) {
            update.where(belongs);
        }
        return update.where(fence.servedEpoch()).where(holdsRow(node, held));
    }

    private static int deleteVolume(
            Connection c, ServingNode node, VolumeOperation op, VolumeRow volume, WorkerRow held) throws SQLException {
        EpochFence fence = EpochFence.of(node);
        List<Object> params = new ArrayList<>(List.of(volume.id(), op.workingStatus()));
        String belongs = fence.volumeBelongsSql(params);
        params.addAll(List.of(fence.servedEpochParams()));
        params.addAll(List.of(held.id(), node.identity().serviceId(), held.racePreventer()));
        return Queries.update(
                c,
                "DELETE FROM volumes WHERE id = ? AND status = ? AND " + belongs + " AND " + fence.servedEpochSql()
                        + " AND " + HOLDS_ROW,
                params.toArray());
    }

    private static Condition holdsRow(ServingNode node, WorkerRow held) {
        return Condition.sql(HOLDS_ROW, held.id(), node.identity().serviceId(), held.racePreventer());
    }

    /** Why a finishing write matched nothing; read in the same transaction, which is then rolled back. */
    private static RuntimeException lost(
            Connection c, ServingNode node, VolumeOperation op, VolumeRow volume, WorkerRow held, String outcome)
            throws SQLException {
        UUID id = volume.id();
        Optional<WorkerRow> row = WorkerRows.findByResource(c, WorkerRows.VOLUME, id.toString());
        boolean stillHeld = row.isPresent()
                && row.get().id() == held.id()
                && Integer.valueOf(node.identity().serviceId()).equals(row.get().serviceId())
                && row.get().racePreventer() == held.racePreventer();
        if (!stillHeld) {
            return new FailedPreconditionException(
                    "Volume " + id + ": " + node.identity().describe()
                            + " no longer holds its workers row ("
                            + row.map(WorkerRow::holder).orElse("row gone")
                            + "); another member took over the " + op.verb() + ", so this node's result (" + outcome
                            + ") was not recorded");
        }
        Optional<RuntimeException> fenced = EpochFence.of(node)
                .refusal(ScopeState.read(c, node.identity()), false)
                .map(RuntimeException.class::cast);
        if (fenced.isPresent()) {
            return fenced.get();
        }
        String now = VolumeRepository.find(c, id).map(VolumeRow::status).orElse("deleted");
        return new FailedPreconditionException("Volume " + id + " is " + now + ", no longer " + op.workingStatus()
                + "; the " + op.verb() + "'s result (" + outcome + ") was not recorded");
    }

    private static String truncate(String reason) {
        String text = reason == null || reason.isBlank() ? "unknown error" : reason;
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }
}
