package io.tandem.volume.grpc;

import io.grpc.stub.StreamObserver;
import io.tandem.driver.FailoverResult;
import io.tandem.driver.HostReplicationUpdate;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.VolumeUpdate;
import io.tandem.proto.v1.Capabilities;
import io.tandem.proto.v1.CapacityStats;
import io.tandem.proto.v1.ClaimedWorker;
import io.tandem.proto.v1.VolumeModelUpdate;
import io.tandem.proto.v1.VolumeServiceCleanupWorkersRequest;
import io.tandem.proto.v1.VolumeServiceCleanupWorkersResponse;
import io.tandem.proto.v1.VolumeServiceCreateVolumeRequest;
import io.tandem.proto.v1.VolumeServiceCreateVolumeResponse;
import io.tandem.proto.v1.VolumeServiceDeleteVolumeRequest;
import io.tandem.proto.v1.VolumeServiceDeleteVolumeResponse;
import io.tandem.proto.v1.VolumeServiceExtendVolumeRequest;
import io.tandem.proto.v1.VolumeServiceExtendVolumeResponse;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedRequest;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedResponse;
import io.tandem.proto.v1.VolumeServiceFailoverRequest;
import io.tandem.proto.v1.VolumeServiceFailoverResponse;
import io.tandem.proto.v1.VolumeServiceFreezeRequest;
import io.tandem.proto.v1.VolumeServiceFreezeResponse;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusRequest;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusResponse;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeServiceInitializeConnectionRequest;
import io.tandem.proto.v1.VolumeServiceInitializeConnectionResponse;
import io.tandem.proto.v1.VolumeServiceThawRequest;
import io.tandem.proto.v1.VolumeServiceThawResponse;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationRequest;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationResponse;
import io.tandem.runtime.proto.StoredValues;
import io.tandem.runtime.proto.VolumeMessages;
import io.tandem.volume.domain.cleanup.CleanupRequests;
import io.tandem.volume.domain.lifecycle.ConnectionInitializer;
import io.tandem.volume.domain.lifecycle.VolumeLifecycle;
import io.tandem.volume.domain.node.NodeConvergence;
import io.tandem.volume.domain.node.NodeStatusReport;
import io.tandem.volume.domain.replication.BackendFreeze;
import io.tandem.volume.domain.replication.FailoverPromotion;
import io.tandem.volume.domain.replication.OnlinePromotion;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A volume node's gRPC endpoint: maps messages to the domain classes and back; errors are the domain's exceptions,
 * mapped by the runtime's interceptor (a driver failure is a {@code DriverException}: INTERNAL with its message).
 */
@Singleton
public class VolumeEndpoint extends VolumeServiceGrpc.VolumeServiceImplBase {
    private static final double GIB = 1L << 30;

    private final VolumeLifecycle lifecycle;
    private final ConnectionInitializer connections;
    private final CleanupRequests cleanup;
    private final NodeStatusReport status;
    private final FailoverPromotion promotion;
    private final OnlinePromotion onlinePromotion;
    private final NodeConvergence convergence;
    private final BackendFreeze freeze;

    public VolumeEndpoint(
            VolumeLifecycle lifecycle,
            ConnectionInitializer connections,
            CleanupRequests cleanup,
            NodeStatusReport status,
            FailoverPromotion promotion,
            OnlinePromotion onlinePromotion,
            NodeConvergence convergence,
            BackendFreeze freeze) {
        this.onlinePromotion = onlinePromotion;
        this.lifecycle = lifecycle;
        this.connections = connections;
        this.cleanup = cleanup;
        this.status = status;
        this.promotion = promotion;
        this.convergence = convergence;
        this.freeze = freeze;
    }

    @Override
    public void createVolume(
            VolumeServiceCreateVolumeRequest request, StreamObserver<VolumeServiceCreateVolumeResponse> response) {
        var volume = lifecycle.create(
                request.getVolumeId(), expected(request.hasExpectedEpoch(), request.getExpectedEpoch()));
        reply(
                response,
                VolumeServiceCreateVolumeResponse.newBuilder()
                        .setVolume(VolumeMessages.toProto(volume))
                        .build());
    }

    @Override
    public void deleteVolume(
            VolumeServiceDeleteVolumeRequest request, StreamObserver<VolumeServiceDeleteVolumeResponse> response) {
        var volume = lifecycle.delete(
                request.getVolumeId(), expected(request.hasExpectedEpoch(), request.getExpectedEpoch()));
        var message = VolumeServiceDeleteVolumeResponse.newBuilder();
        volume.map(VolumeMessages::toProto).ifPresent(message::setVolume);
        reply(response, message.build());
    }

    @Override
    public void extendVolume(
            VolumeServiceExtendVolumeRequest request, StreamObserver<VolumeServiceExtendVolumeResponse> response) {
        var volume = lifecycle.extend(
                request.getVolumeId(),
                request.getNewSizeGb(),
                expected(request.hasExpectedEpoch(), request.getExpectedEpoch()));
        reply(
                response,
                VolumeServiceExtendVolumeResponse.newBuilder()
                        .setVolume(VolumeMessages.toProto(volume))
                        .build());
    }

    @Override
    public void initializeConnection(
            VolumeServiceInitializeConnectionRequest request,
            StreamObserver<VolumeServiceInitializeConnectionResponse> response) {
        var connection = connections.initialize(
                request.getVolumeId(), expected(request.hasExpectedEpoch(), request.getExpectedEpoch()));
        reply(
                response,
                VolumeServiceInitializeConnectionResponse.newBuilder()
                        .setDriverVolumeType(connection.info().driverVolumeType())
                        .putAllData(connection.info().data())
                        .setActiveBackendId(StoredValues.text(connection.activeBackendId()))
                        .setServedEpoch(connection.servedEpoch())
                        .build());
    }

    @Override
    public void cleanupWorkers(
            VolumeServiceCleanupWorkersRequest request, StreamObserver<VolumeServiceCleanupWorkersResponse> response) {
        var claimed = cleanup.cleanup(new CleanupRequests.Request(
                request.getServiceIdsList(),
                request.hasResourceType() ? Optional.of(request.getResourceType()) : Optional.empty(),
                request.hasResourceId() ? Optional.of(request.getResourceId()) : Optional.empty(),
                request.hasUntil() ? Optional.of(StoredValues.instant(request.getUntil())) : Optional.empty(),
                expected(request.hasExpectedEpoch(), request.getExpectedEpoch())));
        var message = VolumeServiceCleanupWorkersResponse.newBuilder();
        for (CleanupRequests.ClaimedRow row : claimed) {
            message.addClaimed(ClaimedWorker.newBuilder()
                    .setResourceType(row.resourceType())
                    .setResourceId(row.resourceId())
                    .setStatus(row.status())
                    .setPreviousServiceId(row.previousServiceId()));
        }
        reply(response, message.build());
    }

    @Override
    public void failover(VolumeServiceFailoverRequest request, StreamObserver<VolumeServiceFailoverResponse> response) {
        FailoverResult result = promotion.promote(
                request.getFailoverId(),
                request.getSecondaryBackendId(),
                expected(request.hasExpectedEpoch(), request.getExpectedEpoch()));
        var message = VolumeServiceFailoverResponse.newBuilder()
                .setActiveBackendId(StoredValues.text(result.activeBackendId()));
        for (VolumeUpdate update : result.volumeUpdates()) {
            message.addVolumeUpdates(toProto(update));
        }
        reply(response, message.build());
    }

    @Override
    public void updateHostReplication(
            VolumeServiceUpdateHostReplicationRequest request,
            StreamObserver<VolumeServiceUpdateHostReplicationResponse> response) {
        List<ReplicationTarget> targets = request.getNewTargetsList().stream()
                .map(t -> new ReplicationTarget(t.getBackendId(), t.getLocation()))
                .toList();
        HostReplicationUpdate result = onlinePromotion.promote(
                request.getFailoverId(), targets, expected(request.hasExpectedEpoch(), request.getExpectedEpoch()));
        var message = VolumeServiceUpdateHostReplicationResponse.newBuilder()
                .setReplicationStatus(StoredValues.replicationStatus(result.replicationStatus()))
                .setActiveBackendId(StoredValues.text(result.activeBackendId()));
        for (VolumeUpdate update : result.volumeUpdates()) {
            message.addVolumeUpdates(toProto(update));
        }
        reply(response, message.build());
    }

    @Override
    public void failoverCompleted(
            VolumeServiceFailoverCompletedRequest request,
            StreamObserver<VolumeServiceFailoverCompletedResponse> response) {
        var served =
                convergence.completeFailover(request.getFailoverId(), request.getActiveBackendId(), request.getEpoch());
        reply(
                response,
                VolumeServiceFailoverCompletedResponse.newBuilder()
                        .setServedEpoch(served.epoch())
                        .setActiveBackendId(StoredValues.text(served.activeBackendId()))
                        .build());
    }

    @Override
    public void freeze(VolumeServiceFreezeRequest request, StreamObserver<VolumeServiceFreezeResponse> response) {
        freeze.freeze(expected(request.hasExpectedEpoch(), request.getExpectedEpoch()));
        reply(response, VolumeServiceFreezeResponse.getDefaultInstance());
    }

    @Override
    public void thaw(VolumeServiceThawRequest request, StreamObserver<VolumeServiceThawResponse> response) {
        freeze.thaw(expected(request.hasExpectedEpoch(), request.getExpectedEpoch()));
        reply(response, VolumeServiceThawResponse.getDefaultInstance());
    }

    @Override
    public void getNodeStatus(
            VolumeServiceGetNodeStatusRequest request, StreamObserver<VolumeServiceGetNodeStatusResponse> response) {
        NodeStatusReport.NodeStatus node = status.status();
        var message = VolumeServiceGetNodeStatusResponse.newBuilder()
                .setHost(node.identity().host())
                .setClusterName(StoredValues.text(node.identity().cluster()))
                .setBackendName(node.identity().backend())
                .setDriverName(node.capabilities().driverName())
                .setActiveBackendId(StoredValues.text(node.served().activeBackendId()))
                .setActiveLocation(StoredValues.text(node.activeLocation()))
                .setServedEpoch(node.served().epoch())
                .setLeaseAlive(node.leaseLive())
                .setFenced(node.fenced())
                .setReplicator(node.replicator())
                .setCapabilities(Capabilities.newBuilder()
                        .setSupportsActiveActive(node.capabilities().supportsActiveActive())
                        .setSupportsReplication(node.capabilities().supportsReplication())
                        .setSupportsActiveActiveReplication(node.capabilities().supportsActiveActiveReplication())
                        .addAllReplicationTargetIds(node.targetIds()));
        node.capacity()
                .ifPresent(stats -> message.setCapacity(CapacityStats.newBuilder()
                        .setTotalCapacityGb(stats.totalBytes() / GIB)
                        .setFreeCapacityGb(stats.freeBytes() / GIB)));
        if (node.startedAt() != null) {
            message.setStartedAt(StoredValues.timestamp(node.startedAt()));
        }
        reply(response, message.build());
    }

    private static VolumeModelUpdate toProto(VolumeUpdate update) {
        var message = VolumeModelUpdate.newBuilder().setVolumeId(update.volumeId());
        if (update.status() != null) {
            message.setStatus(StoredValues.volumeStatus(update.status()));
        }
        if (update.replicationStatus() != null) {
            message.setReplicationStatus(StoredValues.replicationStatus(update.replicationStatus()));
        }
        if (update.providerLocation() != null) {
            message.setProviderLocation(update.providerLocation());
        }
        return message.build();
    }

    private static OptionalLong expected(boolean present, long epoch) {
        return present ? OptionalLong.of(epoch) : OptionalLong.empty();
    }

    private static <T> void reply(StreamObserver<T> response, T message) {
        response.onNext(message);
        response.onCompleted();
    }
}
