package io.tandem.membership;

import java.time.Instant;
import java.util.Objects;

/**
 * What a volume node publishes about itself under {@code members/<cluster>/<host>}, as JSON {@code {host, cluster,
 * backend, grpc_address, active_backend_id, epoch, started_at}}.
 *
 * @param host the node's host name, {@code <node>@<backend>}
 * @param cluster the cluster name, {@code <cluster>@<backend>}; null when the node is not clustered
 * @param backend the storage backend the node serves
 * @param grpcAddress where the node's VolumeService listens, {@code host:port}
 * @param activeBackendId the backend the node's driver serves now; null means the primary ({@code default})
 * @param epoch the cluster epoch the node serves; the scheduler only sends work to members serving the current one
 * @param startedAt when this process started
 */
public record MemberInfo(
        String host,
        String cluster,
        String backend,
        String grpcAddress,
        String activeBackendId,
        long epoch,
        Instant startedAt) {

    public MemberInfo {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(grpcAddress, "grpcAddress");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** The same member serving {@code newEpoch} on {@code newActiveBackendId} (what a node publishes after converging). */
    public MemberInfo serving(long newEpoch, String newActiveBackendId) {
        return new MemberInfo(host, cluster, backend, grpcAddress, newActiveBackendId, newEpoch, startedAt);
    }
}
