package io.tandem.replication.domain.members;

/**
 * The VolumeService calls of the failover protocol and of freeze/thaw, each with a deadline; implemented over gRPC.
 * Every method blocks until the node answers or the deadline passes, and stops at once (InterruptedException) when
 * the calling thread is interrupted (shutdown).
 */
public interface MemberCalls {
    /** Step 2: VolumeService.Failover on {@code node}. */
    PromoteResult promote(
            NodeRef node, long failoverId, String secondaryBackendId, long expectedEpoch, String requestId)
            throws MemberCallException, InterruptedException;

    /** Step 4: VolumeService.FailoverCompleted on {@code node}; returns the epoch the node now serves. */
    long complete(NodeRef node, long failoverId, String activeBackendId, long epoch, String requestId)
            throws MemberCallException, InterruptedException;

    /** VolumeService.Freeze on {@code node}. */
    void freeze(NodeRef node, long expectedEpoch, String requestId) throws MemberCallException, InterruptedException;

    /** VolumeService.Thaw on {@code node}. */
    void thaw(NodeRef node, long expectedEpoch, String requestId) throws MemberCallException, InterruptedException;
}
