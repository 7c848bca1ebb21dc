package io.tandem.persistence.failover;

import java.util.Objects;

/**
 * A journal row to insert at the claim (phase {@code claimed}).
 *
 * @param kind {@code failover} or {@code failback} ({@code promote} belongs to the promote operation)
 * @param scope {@code cluster} or {@code host}
 * @param target the cluster name or host
 * @param fromBackendId the active backend at the claim, {@code default} for the primary
 * @param toBackendId the requested backend, {@code default} for a failback
 * @param owner the claiming replication-svc instance
 * @param ownerLease its etcd lease id, or null when not known
 * @param requestedBy the caller ({@code unknown} when not given)
 * @param requestId the request id of the claiming call
 * @param previousStatus the scope's replication status before the claim
 * @param claimEpoch the scope's epoch at the claim
 */
public record NewFailover(
        String kind,
        String scope,
        String target,
        String fromBackendId,
        String toBackendId,
        String owner,
        Long ownerLease,
        String requestedBy,
        String requestId,
        String previousStatus,
        long claimEpoch) {
    public NewFailover {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(previousStatus, "previousStatus");
    }
}
