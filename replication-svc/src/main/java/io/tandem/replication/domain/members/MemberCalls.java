package io.tandem.replication.domain.members;

import io.tandem.persistence.failover.NewTarget;
import java.util.List;

/**
 * The VolumeService calls of the failover (and promote) protocol and of freeze/thaw, each with a deadline; implemented over gRPC.
 * Every method blocks until the node answers or the deadline passes, and stops at once (InterruptedException) when
 * the calling thread is interrupted (shutdown).
 */
public interface MemberCalls {
    /** Step 2: VolumeService.Failover on {@code node}. */
    PromoteResult promote(
            NodeRef node, long failoverId, String secondaryBackendId, long expectedEpoch, String requestId)
            throws MemberCallException, InterruptedException;

    /**
     * Step 2 of a promote: VolumeService.UpdateHostReplication on {@code node}, which makes the site it serves the
     * primary with {@code newTargets}. The answer's {@link PromoteResult#replicationStatus()} is set.
     */
    PromoteResult updateHostReplication(
            NodeRef node, long failoverId, List<NewTarget> newTargets, long expectedEpoch, String requestId)
            throws MemberCallException, InterruptedException;

    /** Step 4: VolumeService.FailoverCompleted on {@code node}; returns the epoch the node now serves. */
    long complete(NodeRef node, long failoverId, String activeBackendId, long epoch, String requestId)
            throws MemberCallException, InterruptedException;

    /** VolumeService.Freeze on {@code node}. */
    void freeze(NodeRef node, long expectedEpoch, String requestId) throws MemberCallException, InterruptedException;

    /** VolumeService.Thaw on {@code node}. */
    void thaw(NodeRef node, long expectedEpoch, String requestId) throws MemberCallException, InterruptedException;
}
