package io.tandem.scheduler.domain.volumes;

import io.tandem.core.error.AbortedException;
import io.tandem.core.error.AlreadyExistsException;
import io.tandem.core.error.UnavailableException;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.volume.NewVolume;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.scheduler.domain.dispatch.Dispatcher;
import io.tandem.scheduler.domain.dispatch.MemberPicker;
import io.tandem.scheduler.domain.dispatch.Operation;
import io.tandem.scheduler.domain.dispatch.ServiceIds;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreateVolume: idempotency on the client's id, placement, then one transaction that re-checks the chosen target
 * under a share lock and writes the volume row ({@code creating}, cluster, host = chosen member) with its workers row
 * (service_id = that member); the row is returned at once and the create is dispatched in the background. When no
 * target fits, the row is written in {@code error} with the reasons, and returned as well (Cinder answers 202 too).
 */
public final class VolumeCreator {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeCreator.class);

    private final DataSource dataSource;
    private final VolumeRepository volumes;
    private final Placer placer;
    private final MemberPicker picker;
    private final ServiceIds serviceIds;
    private final Dispatcher dispatcher;
    private final int placementAttempts;

    public VolumeCreator(
            DataSource dataSource,
            Placer placer,
            MemberPicker picker,
            ServiceIds serviceIds,
            Dispatcher dispatcher,
            int placementAttempts) {
        this.dataSource = dataSource;
        this.volumes = new VolumeRepository(dataSource);
        this.placer = placer;
        this.picker = picker;
        this.serviceIds = serviceIds;
        this.dispatcher = dispatcher;
        this.placementAttempts = placementAttempts;
    }

    /** Creates the volume (or returns the one this id already names); {@code requestId} travels with the dispatch. */
    public VolumeRow create(CreateVolumeCommand command, String requestId) {
        UUID id = command.volumeId() != null ? command.volumeId() : UUID.randomUUID();
        if (command.volumeId() != null) {
            Optional<VolumeRow> existing = volumes.find(id);
            if (existing.isPresent()) {
                return repeated(command, existing.get());
            }
        }
        for (int attempt = 1; attempt <= placementAttempts; attempt++) {
            Placement.Decision decision = placer.place(command.sizeGb());
            if (decision instanceof Placement.NoValidBackend none) {
                LOG.info("Volume {} ({} GiB): {}", id, command.sizeGb(), none.reason());
                return insertUnplaced(id, command, none.reason()).orElseGet(() -> repeatedAfterRace(command, id));
            }
            Placement.Chosen chosen = (Placement.Chosen) decision;
            Optional<Written> written = insertPlaced(id, command, chosen);
            if (written.isPresent()) {
                Written w = written.get();
                if (w.row() == null) {
                    return repeatedAfterRace(command, id);
                }
                dispatcher.start(
                        new Dispatcher.Job(Operation.CREATE, id, chosen.target(), 0, requestId),
                        w.member(),
                        w.worker());
                return w.row();
            }
            LOG.info(
                    "Target {} changed before volume {} was written; placing again",
                    chosen.target().name(),
                    id);
        }
        throw new AbortedException("The placement target of volume " + id + " kept changing (frozen, disabled or"
                + " failing over) while it was being written; retry");
    }

    /** What the insert transaction wrote: the rows, or {@code row == null} when the id existed already. */
    private record Written(VolumeRow row, WorkerRow worker, MemberInfo member) {}

    /**
     * Picks the member and writes both rows; empty when the target no longer takes the volume (the caller places
     * again). The capacity and the member's count are taken back unless the rows are committed.
     */
    private Optional<Written> insertPlaced(UUID id, CreateVolumeCommand command, Placement.Chosen chosen) {
        Optional<MemberInfo> member = picker.pick(chosen.serving(), List.of());
        if (member.isEmpty()) {
            chosen.placed().release();
            return Optional.empty();
        }
        boolean committed = false;
        try {
            int serviceId = serviceIds.of(member.get().host());
            Optional<Written> written = Transactions.inTransaction(
                    dataSource, c -> insertBoth(c, id, command, chosen.target(), member.get(), serviceId));
            committed = written.isPresent() && written.get().row() != null;
            return written;
        } finally {
            if (!committed) {
                chosen.placed().release();
                picker.done(member.get().host());
            }
        }
    }

    private static Optional<Written> insertBoth(
            Connection c, UUID id, CreateVolumeCommand command, Target target, MemberInfo member, int serviceId)
            throws SQLException {
        Optional<Target> now = TargetRows.lockForShare(c, target);
        if (now.isEmpty() || !now.get().acceptsNewVolume(target.epoch())) {
            return Optional.empty();
        }
        NewVolume volume = new NewVolume(
                id,
                command.projectId(),
                command.userId(),
                command.name(),
                command.description(),
                command.sizeGb(),
                target.clusterName(),
                member.host(),
                now.get().newVolumeReplicationStatus());
        Optional<VolumeRow> row = VolumeRepository.insert(c, volume);
        if (row.isEmpty()) {
            return Optional.of(new Written(null, null, member));
        }
        WorkerRow worker = WorkerRows.tryInsert(
                        c, WorkerRows.VOLUME, id.toString(), Operation.CREATE.status(), serviceId)
                .orElseThrow(() -> new AbortedException("Volume " + id + " already has a workers row; retry"));
        return Optional.of(new Written(row.get(), worker, member));
    }

    /** Writes the never-placed row in error with its reason; empty when the id existed already. */
    private Optional<VolumeRow> insertUnplaced(UUID id, CreateVolumeCommand command, String reason) {
        NewVolume volume = new NewVolume(
                id,
                command.projectId(),
                command.userId(),
                command.name(),
                command.description(),
                command.sizeGb(),
                null,
                null,
                "disabled");
        return Transactions.inTransaction(dataSource, c -> {
            if (VolumeRepository.insert(c, volume).isEmpty()) {
                return Optional.empty();
            }
            // The repository inserts in creating; no workers row exists, so no node ever sees this state committed.
            return ConditionalUpdate.table("volumes")
                    .eq("id", id)
                    .eq("status", Operation.CREATE.status())
                    .set("status", "error")
                    .set("status_reason", reason)
                    .executeReturning(c, VolumeRow::from)
                    .stream()
                    .findFirst();
        });
    }

    private static VolumeRow repeated(CreateVolumeCommand command, VolumeRow existing) {
        if (!command.repeats(existing.projectId(), existing.sizeGb())) {
            throw new AlreadyExistsException("Volume " + existing.id() + " already exists with another project or"
                    + " size; a repeated create must name the same project_id and size_gb");
        }
        return existing;
    }

    /** A concurrent create with the same id won the insert: answer as for a repeat. */
    private VolumeRow repeatedAfterRace(CreateVolumeCommand command, UUID id) {
        VolumeRow existing = volumes.find(id)
                .orElseThrow(() -> new UnavailableException(
                        "Volume " + id + " was created and deleted concurrently with this request; retry"));
        return repeated(command, existing);
    }
}
