package io.tandem.persistence.failover;

import java.util.List;
import java.util.Objects;

/**
 * A journal row to insert at the claim (phase {@code claimed}).
 *
 * @param kind {@code failover}, {@code failback} or {@code promote}
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
 * @param newTargets the targets a promote sets, in request order (empty: none); null for a failover or failback
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
        long claimEpoch,
        List<NewTarget> newTargets) {
    private static final String PROMOTE = "promote";

    /** A failover or failback row (no targets of its own). */
    public NewFailover(
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
        this(
                kind,
                scope,
                target,
                fromBackendId,
                toBackendId,
                owner,
                ownerLease,
                requestedBy,
                requestId,
                previousStatus,
                claimEpoch,
                null);
    }

    public NewFailover {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(previousStatus, "previousStatus");
        // The table's CHECK says the same; failing here names the caller's mistake before any SQL runs.
        if (PROMOTE.equals(kind) != (newTargets != null)) {
            throw new IllegalArgumentException("a promote row needs its new targets, and only a promote has them");
        }
        newTargets = newTargets == null ? null : List.copyOf(newTargets);
    }
}
