package io.tandem.volume;

import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.volume.NewVolume;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The test plays scheduler-svc by the book of docs/volume-protocol.md: each operation's rows are written in one
 * transaction, the workers row naming the chosen member's {@code services.id}.
 */
final class Scheduler {
    private final DataSource dataSource;

    Scheduler(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Places a new volume: INSERT volume creating + INSERT workers (creating, the member's id). */
    UUID place(String cluster, String host, int sizeGb, Integer serviceId) {
        return place(cluster, host, sizeGb, serviceId, "not-capable");
    }

    /** As {@link #place(String, String, int, Integer)} with the volume's replication status. */
    UUID place(String cluster, String host, int sizeGb, Integer serviceId, String replicationStatus) {
        UUID id = UUID.randomUUID();
        Transactions.inTransaction(dataSource, c -> {
            VolumeRepository.insert(
                    c, new NewVolume(id, "project", "user", "v", null, sizeGb, cluster, host, replicationStatus));
            return WorkerRows.tryInsert(c, WorkerRows.VOLUME, id.toString(), "creating", serviceId)
                    .orElseThrow();
        });
        return id;
    }

    /** Starts a delete: CAS available/error/error_deleting → deleting where no workers row, + INSERT workers. */
    void startDelete(UUID id, Integer serviceId) {
        move(id, List.of("available", "error", "error_deleting"), "deleting", serviceId);
    }

    /** Starts an extend: CAS available → extending where no workers row, + INSERT workers. */
    void startExtend(UUID id, Integer serviceId) {
        move(id, List.of("available"), "extending", serviceId);
    }

    Optional<VolumeRow> volume(UUID id) {
        return new VolumeRepository(dataSource).find(id);
    }

    Optional<WorkerRow> worker(UUID id) {
        return Transactions.withConnection(
                dataSource, c -> WorkerRows.findByResource(c, WorkerRows.VOLUME, id.toString()));
    }

    int serviceId(String host) {
        return Transactions.withConnection(
                        dataSource,
                        c -> Queries.one(c, "SELECT id FROM services WHERE host = ?", r -> r.getInt(1), host))
                .orElseThrow();
    }

    long count(String sql, Object... params) {
        return Transactions.withConnection(dataSource, c -> Queries.one(c, sql, r -> r.getLong(1), params))
                .orElseThrow();
    }

    String text(String sql, Object... params) {
        return Transactions.withConnection(dataSource, c -> Queries.one(c, sql, r -> r.getString(1), params))
                .orElse(null);
    }

    /**
     * Plays replication-svc's commit (step 3): the cluster and its services move to {@code epoch} on {@code active}
     * (null = the primary) with {@code replicationStatus}, in one transaction.
     */
    void commit(String cluster, long epoch, String active, String replicationStatus) {
        Transactions.inTransaction(dataSource, c -> {
            Queries.update(
                    c,
                    "UPDATE clusters SET epoch = ?, active_backend_id = ?, replication_status = ?"
                            + " WHERE name = ? AND binary_name = 'volume'",
                    epoch,
                    active,
                    replicationStatus,
                    cluster);
            return Queries.update(
                    c,
                    "UPDATE services SET epoch = ?, active_backend_id = ?, replication_status = ?"
                            + " WHERE cluster_name = ?",
                    epoch,
                    active,
                    replicationStatus,
                    cluster);
        });
    }

    void sql(String sql, Object... params) {
        Transactions.withConnection(dataSource, c -> Queries.update(c, sql, params));
    }

    private void move(UUID id, List<String> from, String to, Integer serviceId) {
        Transactions.inTransaction(dataSource, c -> {
            int moved = io.tandem.persistence.cas.ConditionalUpdate.table("volumes")
                    .eq("id", id)
                    .in("status", from)
                    .filter("NOT EXISTS (SELECT 1 FROM workers w WHERE w.resource_type = 'Volume'"
                            + " AND w.resource_id = volumes.id::text)")
                    // As the real scheduler does: a refused operation returns the volume to where it was.
                    .setColumn("previous_status", "status")
                    .set("status", to)
                    .execute(c);
            if (moved != 1) {
                throw new IllegalStateException("volume " + id + " could not move to " + to);
            }
            return WorkerRows.tryInsert(c, WorkerRows.VOLUME, id.toString(), to, serviceId)
                    .orElseThrow();
        });
    }
}
