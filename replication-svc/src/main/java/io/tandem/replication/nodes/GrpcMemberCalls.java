package io.tandem.replication.nodes;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.tandem.core.error.TandemException;
import io.tandem.persistence.failover.NewTarget;
import io.tandem.persistence.volume.VolumeUpdate;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.proto.v1.VolumeModelUpdate;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedRequest;
import io.tandem.proto.v1.VolumeServiceFailoverRequest;
import io.tandem.proto.v1.VolumeServiceFailoverResponse;
import io.tandem.proto.v1.VolumeServiceFreezeRequest;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeServiceThawRequest;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationRequest;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationResponse;
import io.tandem.replication.config.ReplicationConfiguration;
import io.tandem.replication.domain.members.MemberCallException;
import io.tandem.replication.domain.members.MemberCallException.Outcome;
import io.tandem.replication.domain.members.MemberCalls;
import io.tandem.replication.domain.members.NodeRef;
import io.tandem.replication.domain.members.PromoteResult;
import io.tandem.runtime.grpc.MemberChannels;
import io.tandem.runtime.grpc.RequestIds;
import io.tandem.runtime.proto.StoredValues;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The failover protocol's and freeze/thaw's VolumeService calls over gRPC: blocking, each with its deadline, the
 * request id forwarded, and the node's status code classified for the coordinator (volume.proto documents what each
 * code means):
 *
 * <ul>
 *   <li>INVALID_ARGUMENT → {@link Outcome#REJECTED} (a failover's invalid target, a promote's invalid targets: the
 *       claim is reverted);
 *   <li>UNAVAILABLE, DEADLINE_EXCEEDED, FAILED_PRECONDITION (stale, fenced, superseded), ABORTED, RESOURCE_EXHAUSTED,
 *       CANCELLED → {@link Outcome#TRY_ANOTHER};
 *   <li>everything else (INTERNAL: the driver failed; UNIMPLEMENTED; …) → {@link Outcome#FAILED}.
 * </ul>
 *
 * <p>Failover and UpdateHostReplication (the two promote steps) share the deadline {@code promote-call-timeout}: both
 * run the driver over every volume of the backend.
 */
@Singleton
public class GrpcMemberCalls implements MemberCalls {
    private static final Set<Status.Code> TRY_ANOTHER = Set.of(
            Status.Code.UNAVAILABLE,
            Status.Code.DEADLINE_EXCEEDED,
            Status.Code.FAILED_PRECONDITION,
            Status.Code.ABORTED,
            Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.CANCELLED);

    private final MemberChannels channels;
    private final ReplicationConfiguration config;

    public GrpcMemberCalls(MemberChannels channels, ReplicationConfiguration config) {
        this.channels = channels;
        this.config = config;
    }

    @Override
    public PromoteResult promote(
            NodeRef node, long failoverId, String secondaryBackendId, long expectedEpoch, String requestId)
            throws MemberCallException, InterruptedException {
        VolumeServiceFailoverRequest request = VolumeServiceFailoverRequest.newBuilder()
                .setFailoverId(failoverId)
                .setSecondaryBackendId(secondaryBackendId)
                .setExpectedEpoch(expectedEpoch)
                .build();
        VolumeServiceFailoverResponse response =
                call(node, "Failover", config.getPromoteCallTimeout(), requestId, stub -> stub.failover(request));
        String active = response.getActiveBackendId();
        return new PromoteResult(
                active.isEmpty() ? null : active, updates(node, "Failover", response.getVolumeUpdatesList()));
    }

    @Override
    public PromoteResult updateHostReplication(
            NodeRef node, long failoverId, List<NewTarget> newTargets, long expectedEpoch, String requestId)
            throws MemberCallException, InterruptedException {
        VolumeServiceUpdateHostReplicationRequest.Builder request =
                VolumeServiceUpdateHostReplicationRequest.newBuilder()
                        .setFailoverId(failoverId)
                        .setExpectedEpoch(expectedEpoch);
        for (NewTarget target : newTargets) {
            // Role unset, as the contract asks: the member knows every new site is a target.
            request.addNewTargets(ReplicationTarget.newBuilder()
                    .setBackendId(target.backendId())
                    .setLocation(target.location()));
        }
        VolumeServiceUpdateHostReplicationRequest built = request.build();
        VolumeServiceUpdateHostReplicationResponse response = call(
                node,
                "UpdateHostReplication",
                config.getPromoteCallTimeout(),
                requestId,
                stub -> stub.updateHostReplication(built));
        String status;
        try {
            status = StoredValues.storedReplicationStatus(response.getReplicationStatus());
        } catch (TandemException e) {
            throw new MemberCallException(
                    Outcome.FAILED,
                    node.host() + " answered UpdateHostReplication with an unknown replication status: "
                            + e.getMessage());
        }
        String active = response.getActiveBackendId();
        return new PromoteResult(
                active.isEmpty() ? null : active,
                updates(node, "UpdateHostReplication", response.getVolumeUpdatesList()),
                status);
    }

    private static List<VolumeUpdate> updates(NodeRef node, String rpc, List<VolumeModelUpdate> answered)
            throws MemberCallException {
        List<VolumeUpdate> updates = new ArrayList<>(answered.size());
        for (VolumeModelUpdate update : answered) {
            updates.add(update(node, rpc, update));
        }
        return updates;
    }

    @Override
    public long complete(NodeRef node, long failoverId, String activeBackendId, long epoch, String requestId)
            throws MemberCallException, InterruptedException {
        VolumeServiceFailoverCompletedRequest request = VolumeServiceFailoverCompletedRequest.newBuilder()
                .setFailoverId(failoverId)
                .setActiveBackendId(activeBackendId == null ? "" : activeBackendId)
                .setEpoch(epoch)
                .build();
        return call(
                        node,
                        "FailoverCompleted",
                        config.getCompleteCallTimeout(),
                        requestId,
                        stub -> stub.failoverCompleted(request))
                .getServedEpoch();
    }

    @Override
    public void freeze(NodeRef node, long expectedEpoch, String requestId)
            throws MemberCallException, InterruptedException {
        VolumeServiceFreezeRequest request = VolumeServiceFreezeRequest.newBuilder()
                .setExpectedEpoch(expectedEpoch)
                .build();
        call(node, "Freeze", config.getNodeCallTimeout(), requestId, stub -> stub.freeze(request));
    }

    @Override
    public void thaw(NodeRef node, long expectedEpoch, String requestId)
            throws MemberCallException, InterruptedException {
        VolumeServiceThawRequest request = VolumeServiceThawRequest.newBuilder()
                .setExpectedEpoch(expectedEpoch)
                .build();
        call(node, "Thaw", config.getNodeCallTimeout(), requestId, stub -> stub.thaw(request));
    }

    private <T> T call(
            NodeRef node,
            String rpc,
            Duration deadline,
            String requestId,
            Function<VolumeServiceGrpc.VolumeServiceBlockingStub, T> invocation)
            throws MemberCallException, InterruptedException {
        VolumeServiceGrpc.VolumeServiceBlockingStub stub;
        try {
            stub = VolumeServiceGrpc.newBlockingStub(channels.channel(node.address()))
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .withMaxInboundMessageSize(config.getNodeMaxMessageBytes());
        } catch (TandemException e) {
            throw new MemberCallException(Outcome.TRY_ANOTHER, node.host() + ": " + e.getMessage());
        }
        if (requestId != null && !requestId.isEmpty() && !"-".equals(requestId)) {
            Metadata headers = new Metadata();
            headers.put(RequestIds.METADATA_KEY, requestId);
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        try {
            return invocation.apply(stub);
        } catch (StatusRuntimeException e) {
            if (Thread.interrupted()) {
                // A blocking call cancels itself when its thread is interrupted (shutdown): stop, do not move on.
                throw new InterruptedException(rpc + " to " + node.host() + " interrupted");
            }
            Status status = e.getStatus();
            Outcome outcome = status.getCode() == Status.Code.INVALID_ARGUMENT
                    ? Outcome.REJECTED
                    : TRY_ANOTHER.contains(status.getCode()) ? Outcome.TRY_ANOTHER : Outcome.FAILED;
            throw new MemberCallException(
                    outcome,
                    node.host() + " answered " + rpc + " with " + status.getCode()
                            + (status.getDescription() == null ? "" : ": " + status.getDescription()));
        }
    }

    /** One update of the node's answer; an answer the protocol cannot commit is the driver's failure. */
    private static VolumeUpdate update(NodeRef node, String rpc, VolumeModelUpdate update) throws MemberCallException {
        try {
            UUID id = UUID.fromString(update.getVolumeId());
            return new VolumeUpdate(
                    id,
                    update.hasStatus() ? StoredValues.storedVolumeStatus(update.getStatus()) : null,
                    update.hasReplicationStatus()
                            ? StoredValues.storedReplicationStatus(update.getReplicationStatus())
                            : null,
                    update.hasProviderLocation() ? update.getProviderLocation() : null,
                    update.hasReplicationDriverData() ? update.getReplicationDriverData() : null);
        } catch (IllegalArgumentException | TandemException e) {
            throw new MemberCallException(
                    Outcome.FAILED,
                    node.host() + " answered " + rpc + " with an update that cannot be applied (volume '"
                            + update.getVolumeId() + "'): " + e.getMessage());
        }
    }
}
