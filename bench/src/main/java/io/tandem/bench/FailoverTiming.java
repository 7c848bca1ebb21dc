package io.tandem.bench;

import io.grpc.Channel;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.volume.NewVolume;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.proto.v1.ReplicationServiceGrpc.ReplicationServiceBlockingStub;
import io.tandem.proto.v1.ReplicationTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * Failover and failback of a cluster of replicated volumes through replication-svc, from the Failover request until
 * every member has acknowledged the new epoch (the journal row completed). The in-memory driver promotes at zero cost,
 * so the figure is the control plane's own: claim, drain, one member's promote answer with one update per volume, the
 * batched commit, the epoch key, FailoverCompleted to every member.
 */
final class FailoverTiming {
    private static final int BATCH = 1000;
    /** How often the journal row is read while waiting; bounds the client-side figure's resolution. */
    private static final Duration POLL = Duration.ofMillis(2);

    /**
     * One failover or failback.
     *
     * @param requestToAcked the client's view: Failover sent until GetFailover returned the completed row
     * @param claimToCompleted the journal's own timestamps: claimed_at to completed_at
     * @param promoteToCommitted promoted_at to committed_at: the commit transaction (volume updates, epoch)
     */
    record Timing(
            String cluster,
            int members,
            int volumes,
            String direction,
            FailoverPhase phase,
            Duration requestToAcked,
            Duration claimToCompleted,
            Duration promoteToCommitted) {}

    private final ReplicationServiceBlockingStub replication;
    private final DataSource dataSource;

    FailoverTiming(Channel replication, DataSource dataSource) {
        this.replication = ReplicationServiceGrpc.newBlockingStub(replication);
        this.dataSource = dataSource;
    }

    /** Replaces the volumes of {@code cluster} with {@code count} available, replicated ones owned by {@code host}. */
    void replaceVolumes(String cluster, String host, int count) {
        Transactions.withConnection(
                dataSource, c -> Queries.update(c, "DELETE FROM volumes WHERE cluster_name = ?", cluster));
        for (int done = 0; done < count; done += BATCH) {
            int batch = Math.min(BATCH, count - done);
            Transactions.inTransaction(dataSource, c -> {
                for (int i = 0; i < batch; i++) {
                    VolumeRepository.insert(
                            c,
                            new NewVolume(
                                    UUID.randomUUID(), "bench", "bench", null, null, 1, cluster, host, "enabled"));
                }
                return null;
            });
        }
        Transactions.withConnection(dataSource, c -> {
            Queries.update(c, "UPDATE volumes SET status = 'available' WHERE cluster_name = ?", cluster);
            Queries.update(c, "ANALYZE volumes");
            return null;
        });
    }

    /** Fails {@code cluster} over to {@code backendId} ("default" = back) and waits for the row to be final. */
    Timing run(String cluster, int members, int volumes, String backendId) {
        return timed(cluster, members, volumes, "default".equals(backendId) ? "failback" : "failover", () -> replication
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .failover(FailoverRequest.newBuilder()
                        .setCluster(cluster)
                        .setBackendId(backendId)
                        .build())
                .getFailoverId());
    }

    /**
     * Promotes the site {@code cluster} serves to primary with the one in-memory target {@code targetId}, and waits
     * for the row to be final.
     */
    Timing promote(String cluster, int members, int volumes, String targetId) {
        return timed(cluster, members, volumes, "promote", () -> replication
                .withDeadlineAfter(60, TimeUnit.SECONDS)
                .promote(PromoteRequest.newBuilder()
                        .setCluster(cluster)
                        .addTargets(ReplicationTarget.newBuilder()
                                .setBackendId(targetId)
                                .setLocation("memory://" + targetId))
                        .build())
                .getFailoverId());
    }

    private Timing timed(String cluster, int members, int volumes, String direction, LongSupplier request) {
        long started = System.nanoTime();
        long id = request.getAsLong();
        Failover row = awaitFinal(id, started + TimeUnit.MINUTES.toNanos(5));
        Duration requestToAcked = Duration.ofNanos(System.nanoTime() - started);
        return new Timing(
                cluster,
                members,
                volumes,
                direction,
                row.getPhase(),
                requestToAcked,
                between(row.getClaimedAt(), row.getCompletedAt()),
                between(row.getPromotedAt(), row.getCommittedAt()));
    }

    private Failover awaitFinal(long id, long deadline) {
        while (true) {
            Failover row = replication
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getFailover(GetFailoverRequest.newBuilder().setId(id).build())
                    .getFailover();
            switch (row.getPhase()) {
                case FAILOVER_PHASE_COMPLETED,
                        FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS,
                        FAILOVER_PHASE_FAILED,
                        FAILOVER_PHASE_REVERTED -> {
                    return row;
                }
                default -> {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("failover " + id + " still " + row.getPhase());
                    }
                    LockSupport.parkNanos(POLL.toNanos());
                }
            }
        }
    }

    private static Duration between(com.google.protobuf.Timestamp from, com.google.protobuf.Timestamp to) {
        if (from.getSeconds() == 0 || to.getSeconds() == 0) {
            return Duration.ZERO;
        }
        return Duration.between(
                Instant.ofEpochSecond(from.getSeconds(), from.getNanos()),
                Instant.ofEpochSecond(to.getSeconds(), to.getNanos()));
    }
}
