package io.tandem.scheduler.domain.volumes;

import io.tandem.core.error.AbortedException;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.FrozenBackendException;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.core.error.UnavailableException;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.scheduler.domain.dispatch.Dispatcher;
import io.tandem.scheduler.domain.dispatch.MemberPicker;
import io.tandem.scheduler.domain.dispatch.Operation;
import io.tandem.scheduler.domain.dispatch.ServiceIds;
import io.tandem.scheduler.domain.placement.CapacityLedger;
import io.tandem.scheduler.domain.placement.Placement;
import io.tandem.scheduler.domain.placement.Placer;
import io.tandem.scheduler.domain.placement.Target;
import io.tandem.scheduler.domain.placement.TargetRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * DeleteVolume and ExtendVolume (volume-protocol.md): checks that give a clear answer first (scope, frozen, status,
 * a live member serving the epoch: without one nothing changes and the caller gets UNAVAILABLE), then one transaction
 * with the target share-locked: the compare-and-swap on the volume's status (no workers row may exist) and the
 * workers row for the chosen member. The CAS, not the checks, decides between concurrent requests: exactly one wins,
 * the others are answered from the row as it is then.
 */
public final class VolumeModifier {
    /** Statuses a delete starts from (Cinder's, minus those Tandem has no operation for). */
    static final List<String> DELETABLE = List.of("available", "error", "error_deleting", "error_extending");

    private static final String NO_WORKER = "NOT EXISTS (SELECT 1 FROM workers w WHERE w.resource_type = '"
            + WorkerRows.VOLUME + "' AND w.resource_id = volumes.id::text)";
    // A volume that never got a backend (no valid backend): no member has anything to delete.
    private static final String DELETE_UNPLACED = "DELETE FROM volumes WHERE id = ? AND status = 'error'"
            + " AND cluster_name IS NULL AND host IS NULL AND " + NO_WORKER;

    private final DataSource dataSource;
    private final VolumeRepository volumes;
    private final TargetRows targets;
    private final Placer placer;
    private final MemberPicker picker;
    private final ServiceIds serviceIds;
    private final Dispatcher dispatcher;

    public VolumeModifier(
            DataSource dataSource,
            TargetRows targets,
            Placer placer,
            MemberPicker picker,
            ServiceIds serviceIds,
            Dispatcher dispatcher) {
        this.dataSource = dataSource;
        this.volumes = new VolumeRepository(dataSource);
        this.targets = targets;
        this.placer = placer;
        this.picker = picker;
        this.serviceIds = serviceIds;
        this.dispatcher = dispatcher;
    }

    /** Starts deleting the volume; returns the row in deleting, or empty when it was deleted at once. */
    public Optional<VolumeRow> delete(UUID id, Scope scope, String requestId) {
        VolumeRow volume = scope.check(id, volumes.find(id));
        if (volume.clusterName() == null && volume.host() == null) {
            if (Transactions.withConnection(dataSource, c -> Queries.update(c, DELETE_UNPLACED, id)) == 1) {
                return Optional.empty();
            }
            volume = scope.check(id, volumes.find(id)); // changed meanwhile: explain from the row as it is now
        }
        Target target = targetOf(volume);
        refuseIfHeld(target);
        requireStatus(volume, DELETABLE, "delete");
        return Optional.of(start(new Change(Operation.DELETE, volume, DELETABLE, 0), target, scope, requestId, null));
    }

    /** Starts extending the volume to {@code newSizeGb}; returns the row in extending (size unchanged until done). */
    public VolumeRow extend(UUID id, Scope scope, int newSizeGb, String requestId) {
        VolumeRow volume = scope.check(id, volumes.find(id));
        if (newSizeGb <= volume.sizeGb()) {
            throw new InvalidArgumentException("New size for extend must be greater than current size. (current: "
                    + volume.sizeGb() + ", extended: " + newSizeGb + ").");
        }
        Target target = targetOf(volume);
        refuseIfHeld(target);
        requireStatus(volume, List.of("available"), "extend");
        Placement.Reservation reservation = placer.reserve(placer.view(target), newSizeGb - volume.sizeGb());
        if (reservation.refusal() != null) {
            throw new FailedPreconditionException("Volume " + id + " cannot be extended to " + newSizeGb + " GiB on "
                    + target.name() + ": " + reservation.refusal());
        }
        Change change = new Change(Operation.EXTEND, volume, List.of("available"), newSizeGb);
        return start(change, target, scope, requestId, reservation.placed());
    }

    /** One requested change: the operation, the row as read, the statuses it may start from, an extend's size. */
    private record Change(Operation operation, VolumeRow volume, List<String> from, int newSizeGb) {}

    private VolumeRow start(
            Change change, Target target, Scope scope, String requestId, CapacityLedger.Placed reserved) {
        boolean started = false;
        try {
            MemberInfo member = picker.pick(placer.serving(target), List.of()).orElseThrow(() -> noMember(target));
            try {
                int serviceId = serviceIds.of(member.host());
                Optional<Started> done =
                        Transactions.inTransaction(dataSource, c -> casAndLock(c, change, target, serviceId));
                if (done.isEmpty()) {
                    throw lost(change, target, scope);
                }
                started = true;
                UUID id = change.volume().id();
                dispatcher.start(
                        new Dispatcher.Job(change.operation(), id, target, change.newSizeGb(), requestId),
                        member,
                        done.get().worker());
                return done.get().row();
            } finally {
                if (!started) {
                    picker.done(member.host());
                }
            }
        } finally {
            if (!started && reserved != null) {
                reserved.release();
            }
        }
    }

    private record Started(VolumeRow row, WorkerRow worker) {}

    private static Optional<Started> casAndLock(Connection c, Change change, Target target, int serviceId)
            throws SQLException {
        Optional<Target> now = TargetRows.lockForShare(c, target);
        if (now.isEmpty()
                || now.get().frozen()
                || now.get().busyReason().isPresent()
                || now.get().epoch() != target.epoch()) {
            return Optional.empty();
        }
        ConditionalUpdate cas = ConditionalUpdate.table("volumes")
                .eq("id", change.volume().id())
                .in("status", change.from())
                .filter(NO_WORKER)
                .setColumn("previous_status", "status")
                .set("status", change.operation().status())
                .set("status_reason", null);
        if (change.operation() == Operation.EXTEND) {
            cas.filter("size_gb < ?", change.newSizeGb());
        }
        Optional<VolumeRow> row =
                cas.executeReturning(c, VolumeRow::from).stream().findFirst();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        String resourceId = change.volume().id().toString();
        WorkerRow worker = WorkerRows.tryInsert(
                        c, WorkerRows.VOLUME, resourceId, change.operation().status(), serviceId)
                .orElseThrow(() -> new FailedPreconditionException(
                        "Volume " + resourceId + " is busy: another operation holds it"));
        return Optional.of(new Started(row.get(), worker));
    }

    /** Why the CAS lost, from the rows as they are now: gone, frozen, failing over, or another status. */
    private RuntimeException lost(Change change, Target placed, Scope scope) {
        UUID id = change.volume().id();
        VolumeRow now = scope.check(id, volumes.find(id));
        Target target = targetOf(now);
        refuseIfHeld(target);
        if (target.epoch() != placed.epoch()) {
            return new AbortedException("The epoch of " + target.name() + " changed (failover) while the "
                    + change.operation().verb() + " of volume " + id + " was starting; retry");
        }
        if (!change.from().contains(now.status())) {
            return statusError(now, change.from(), change.operation().verb());
        }
        if (change.operation() == Operation.EXTEND && change.newSizeGb() <= now.sizeGb()) {
            return new InvalidArgumentException("New size for extend must be greater than current size. (current: "
                    + now.sizeGb() + ", extended: " + change.newSizeGb() + ").");
        }
        return new FailedPreconditionException("Volume " + id + " is busy: another operation started on it"
                + " concurrently (status " + now.status() + "); retry when it has finished");
    }

    private Target targetOf(VolumeRow volume) {
        return targets.find(volume.clusterName(), volume.host())
                .orElseThrow(() -> new FailedPreconditionException("Volume " + volume.id() + " belongs to "
                        + (volume.clusterName() != null ? "cluster " + volume.clusterName() : "host " + volume.host())
                        + ", which is not registered"));
    }

    private static void refuseIfHeld(Target target) {
        if (target.frozen()) {
            throw new FrozenBackendException();
        }
        target.busyReason().ifPresent(reason -> {
            throw new FailedPreconditionException(
                    "Volume backend " + target.name() + " is " + reason + "; management operations wait for it");
        });
    }

    private static void requireStatus(VolumeRow volume, List<String> allowed, String verb) {
        if (!allowed.contains(volume.status())) {
            throw statusError(volume, allowed, verb);
        }
    }

    private static FailedPreconditionException statusError(VolumeRow volume, List<String> allowed, String verb) {
        if ("delete".equals(verb) && "deleting".equals(volume.status())) {
            return new FailedPreconditionException("Volume " + volume.id() + " is already being deleted.");
        }
        return new FailedPreconditionException("Volume " + volume.id() + " status must be "
                + String.join(" or ", allowed) + " to " + verb + ", but current status is: " + volume.status() + ".");
    }

    private static UnavailableException noMember(Target target) {
        return new UnavailableException(
                "No live member of " + target.name() + " serves epoch " + target.epoch() + "; nothing changed, retry");
    }
}
