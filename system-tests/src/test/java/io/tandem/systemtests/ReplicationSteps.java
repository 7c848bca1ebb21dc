package io.tandem.systemtests;

import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.proto.v1.SchedulerServiceGrpc;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeServiceInitializeConnectionRequest;
import io.tandem.testing.Eventually;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The steps the replication stories share, on a stack's scheduler and replication service: a volume placed on one
 * cluster, bytes written into its file and waited for at the targets, a failover run to its end, and the files read
 * back where a member says the volume lives.
 */
final class ReplicationSteps {
    static final Duration SETTLE = Duration.ofSeconds(60);

    private final Db db;
    private final ServiceProcess scheduler;
    private final ServiceProcess replication;

    ReplicationSteps(Db db, ServiceProcess scheduler, ServiceProcess replication) {
        this.db = db;
        this.scheduler = scheduler;
        this.replication = replication;
    }

    /** A 1 GiB volume on {@code cluster} (every other cluster disabled for the placement), once it is available. */
    String createVolume(String cluster, String project) {
        db.update("UPDATE clusters SET disabled = (name <> ?)", cluster);
        String id = SchedulerServiceGrpc.newBlockingStub(scheduler.channel())
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .createVolume(CreateVolumeRequest.newBuilder()
                        .setProjectId(project)
                        .setSizeGb(1)
                        .build())
                .getVolume()
                .getId();
        Eventually.await(SETTLE, "volume " + id + " available", () -> db.text(
                        "SELECT status FROM volumes WHERE id = ?::uuid", id)
                .orElse("")
                .equals("available"));
        return id;
    }

    /** Writes at {@code file}, then waits until the replicator has recorded a sync that started after the write. */
    void writeAndAwaitReplication(String volume, Path file, long offset, byte[] bytes) throws IOException {
        String before = db.text("SELECT now()::text").orElseThrow();
        write(file, offset, bytes);
        Eventually.await(
                SETTLE,
                "volume " + volume + " synced after the write",
                () -> db.scalar(
                                "SELECT count(*) FROM volumes WHERE id = ?::uuid AND last_sync_at > ?::timestamptz",
                                volume,
                                before)
                        == 1);
    }

    /** Fails {@code cluster} over to {@code backendId} ({@code default}: back) and returns the final journal row. */
    Failover failOverAndAwait(String cluster, String backendId) {
        long id = replication()
                .failover(FailoverRequest.newBuilder()
                        .setCluster(cluster)
                        .setBackendId(backendId)
                        .build())
                .getFailoverId();
        return awaitFinal(id);
    }

    /** Journal row {@code id} once it is final. */
    Failover awaitFinal(long id) {
        Eventually.await(SETTLE, "journal row " + id + " final", () -> FailoverRows.isFinal(journal(id)));
        return journal(id);
    }

    Failover journal(long id) {
        return replication()
                .getFailover(GetFailoverRequest.newBuilder().setId(id).build())
                .getFailover();
    }

    ReplicationServiceGrpc.ReplicationServiceBlockingStub replication() {
        return ReplicationServiceGrpc.newBlockingStub(replication.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** Where {@code node} says the volume's file is (its connection info). */
    static Path connectionPath(ServiceProcess node, String volume) {
        var info = VolumeServiceGrpc.newBlockingStub(node.channel())
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .initializeConnection(VolumeServiceInitializeConnectionRequest.newBuilder()
                        .setVolumeId(volume)
                        .build());
        return Path.of(info.getDataOrThrow("path"));
    }

    static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(offset);
            out.write(bytes);
            out.getFD().sync();
        }
    }

    static byte[] read(Path file, long offset, int length) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[length];
            in.seek(offset);
            in.readFully(bytes);
            return bytes;
        }
    }
}
