package io.tandem.replication.grpc;

import io.grpc.stub.StreamObserver;
import io.tandem.persistence.failover.NewTarget;
import io.tandem.proto.v1.DisableClusterRequest;
import io.tandem.proto.v1.DisableClusterResponse;
import io.tandem.proto.v1.DisableServiceRequest;
import io.tandem.proto.v1.DisableServiceResponse;
import io.tandem.proto.v1.EnableClusterRequest;
import io.tandem.proto.v1.EnableClusterResponse;
import io.tandem.proto.v1.EnableServiceRequest;
import io.tandem.proto.v1.EnableServiceResponse;
import io.tandem.proto.v1.FailoverRequest;
import io.tandem.proto.v1.FailoverResponse;
import io.tandem.proto.v1.FreezeRequest;
import io.tandem.proto.v1.FreezeResponse;
import io.tandem.proto.v1.GetClusterRequest;
import io.tandem.proto.v1.GetClusterResponse;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.GetFailoverResponse;
import io.tandem.proto.v1.ListClustersRequest;
import io.tandem.proto.v1.ListClustersResponse;
import io.tandem.proto.v1.ListFailoversRequest;
import io.tandem.proto.v1.ListFailoversResponse;
import io.tandem.proto.v1.ListServicesRequest;
import io.tandem.proto.v1.ListServicesResponse;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.PromoteResponse;
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.proto.v1.ThawRequest;
import io.tandem.proto.v1.ThawResponse;
import io.tandem.proto.v1.WorkCleanupRequest;
import io.tandem.proto.v1.WorkCleanupResponse;
import io.tandem.replication.domain.cleanup.CleanupRequest;
import io.tandem.replication.domain.cleanup.CleanupResult;
import io.tandem.replication.domain.cleanup.WorkCleanup;
import io.tandem.replication.domain.clusters.ClusterAdmin;
import io.tandem.replication.domain.clusters.ClusterFilter;
import io.tandem.replication.domain.failover.FailoverList;
import io.tandem.replication.domain.failover.FailoverView;
import io.tandem.replication.domain.failover.Failovers;
import io.tandem.replication.domain.freeze.FreezeThaw;
import io.tandem.replication.domain.services.ServiceAdmin;
import io.tandem.runtime.grpc.RequestIds;
import io.tandem.runtime.proto.StoredValues;
import jakarta.inject.Singleton;

/**
 * replication-svc's gRPC endpoint: maps messages to the domain and back, nothing else. Errors are domain exceptions
 * thrown through; the runtime's interceptor turns them into status codes.
 */
@Singleton
public class ReplicationEndpoint extends ReplicationServiceGrpc.ReplicationServiceImplBase {
    private final ServiceAdmin services;
    private final ClusterAdmin clusters;
    private final WorkCleanup cleanup;
    private final Failovers failovers;
    private final FreezeThaw freezeThaw;

    public ReplicationEndpoint(
            ServiceAdmin services,
            ClusterAdmin clusters,
            WorkCleanup cleanup,
            Failovers failovers,
            FreezeThaw freezeThaw) {
        this.services = services;
        this.clusters = clusters;
        this.cleanup = cleanup;
        this.failovers = failovers;
        this.freezeThaw = freezeThaw;
    }

    @Override
    public void failover(FailoverRequest request, StreamObserver<FailoverResponse> response) {
        FailoverView view = failovers.failover(
                request.getTargetCase() == FailoverRequest.TargetCase.CLUSTER ? request.getCluster() : null,
                request.getTargetCase() == FailoverRequest.TargetCase.HOST ? request.getHost() : null,
                request.getBackendId(),
                Callers.current(),
                RequestIds.current());
        reply(
                response,
                FailoverResponse.newBuilder()
                        .setFailoverId(view.row().id())
                        .setFailover(ProtoViews.failover(view))
                        .build());
    }

    @Override
    public void promote(PromoteRequest request, StreamObserver<PromoteResponse> response) {
        FailoverView view = failovers.promote(
                request.getTargetCase() == PromoteRequest.TargetCase.CLUSTER ? request.getCluster() : null,
                request.getTargetCase() == PromoteRequest.TargetCase.HOST ? request.getHost() : null,
                request.getTargetsList().stream()
                        .map(t -> new NewTarget(t.getBackendId(), t.getLocation()))
                        .toList(),
                Callers.current(),
                RequestIds.current());
        reply(
                response,
                PromoteResponse.newBuilder()
                        .setFailoverId(view.row().id())
                        .setFailover(ProtoViews.failover(view))
                        .build());
    }

    @Override
    public void freeze(FreezeRequest request, StreamObserver<FreezeResponse> response) {
        freezeThaw.freeze(
                request.getTargetCase() == FreezeRequest.TargetCase.CLUSTER ? request.getCluster() : null,
                request.getTargetCase() == FreezeRequest.TargetCase.HOST ? request.getHost() : null,
                RequestIds.current());
        reply(response, FreezeResponse.getDefaultInstance());
    }

    @Override
    public void thaw(ThawRequest request, StreamObserver<ThawResponse> response) {
        freezeThaw.thaw(
                request.getTargetCase() == ThawRequest.TargetCase.CLUSTER ? request.getCluster() : null,
                request.getTargetCase() == ThawRequest.TargetCase.HOST ? request.getHost() : null,
                RequestIds.current());
        reply(response, ThawResponse.getDefaultInstance());
    }

    @Override
    public void listFailovers(ListFailoversRequest request, StreamObserver<ListFailoversResponse> response) {
        FailoverList page = failovers.list(
                request.hasTarget() ? request.getTarget() : null,
                request.getUnfinishedOnly(),
                request.getPageSize(),
                request.getPageToken());
        ListFailoversResponse.Builder out = ListFailoversResponse.newBuilder().setNextPageToken(page.nextPageToken());
        page.failovers().forEach(view -> out.addFailovers(ProtoViews.failover(view)));
        reply(response, out.build());
    }

    @Override
    public void getFailover(GetFailoverRequest request, StreamObserver<GetFailoverResponse> response) {
        reply(
                response,
                GetFailoverResponse.newBuilder()
                        .setFailover(ProtoViews.failover(failovers.get(request.getId())))
                        .build());
    }

    @Override
    public void listServices(ListServicesRequest request, StreamObserver<ListServicesResponse> response) {
        ListServicesResponse.Builder out = ListServicesResponse.newBuilder();
        services.list(request.hasHost() ? request.getHost() : null, request.hasBinary() ? request.getBinary() : null)
                .forEach(view -> out.addServices(ProtoViews.service(view)));
        reply(response, out.build());
    }

    @Override
    public void enableService(EnableServiceRequest request, StreamObserver<EnableServiceResponse> response) {
        var view = services.enable(request.getHost(), request.getBinary());
        reply(
                response,
                EnableServiceResponse.newBuilder()
                        .setService(ProtoViews.service(view))
                        .build());
    }

    @Override
    public void disableService(DisableServiceRequest request, StreamObserver<DisableServiceResponse> response) {
        var view = services.disable(request.getHost(), request.getBinary(), request.getDisabledReason());
        reply(
                response,
                DisableServiceResponse.newBuilder()
                        .setService(ProtoViews.service(view))
                        .build());
    }

    @Override
    public void listClusters(ListClustersRequest request, StreamObserver<ListClustersResponse> response) {
        ClusterFilter filter = new ClusterFilter(
                request.hasName() ? request.getName() : null,
                request.hasBinary() ? request.getBinary() : null,
                request.hasIsUp() ? request.getIsUp() : null,
                request.hasDisabled() ? request.getDisabled() : null,
                request.hasNumHosts() ? request.getNumHosts() : null,
                request.hasNumDownHosts() ? request.getNumDownHosts() : null,
                request.hasReplicationStatus()
                        ? StoredValues.storedReplicationStatus(request.getReplicationStatus())
                        : null,
                request.hasFrozen() ? request.getFrozen() : null,
                request.hasActiveBackendId() ? request.getActiveBackendId() : null);
        ListClustersResponse.Builder out = ListClustersResponse.newBuilder();
        clusters.list(filter).forEach(view -> out.addClusters(ProtoViews.cluster(view)));
        reply(response, out.build());
    }

    @Override
    public void getCluster(GetClusterRequest request, StreamObserver<GetClusterResponse> response) {
        var view = clusters.get(request.getName(), request.getBinary());
        reply(
                response,
                GetClusterResponse.newBuilder()
                        .setCluster(ProtoViews.cluster(view))
                        .build());
    }

    @Override
    public void enableCluster(EnableClusterRequest request, StreamObserver<EnableClusterResponse> response) {
        var view = clusters.enable(request.getName(), request.getBinary());
        reply(
                response,
                EnableClusterResponse.newBuilder()
                        .setCluster(ProtoViews.cluster(view))
                        .build());
    }

    @Override
    public void disableCluster(DisableClusterRequest request, StreamObserver<DisableClusterResponse> response) {
        var view = clusters.disable(request.getName(), request.getBinary(), request.getDisabledReason());
        reply(
                response,
                DisableClusterResponse.newBuilder()
                        .setCluster(ProtoViews.cluster(view))
                        .build());
    }

    @Override
    public void workCleanup(WorkCleanupRequest request, StreamObserver<WorkCleanupResponse> response) {
        CleanupRequest filters = CleanupRequest.of(
                request.hasClusterName() ? request.getClusterName() : null,
                request.hasHost() ? request.getHost() : null,
                request.hasServiceId() ? request.getServiceId() : null,
                request.hasBinary() ? request.getBinary() : null,
                request.hasIsUp() ? request.getIsUp() : null,
                request.hasDisabled() ? request.getDisabled() : null,
                request.hasResourceId() ? request.getResourceId() : null,
                request.hasResourceType() ? request.getResourceType() : null);
        CleanupResult result = cleanup.run(filters, RequestIds.current());
        WorkCleanupResponse.Builder out = WorkCleanupResponse.newBuilder();
        result.cleaning().forEach(ref -> out.addCleaning(ProtoViews.serviceRef(ref)));
        result.unavailable().forEach(ref -> out.addUnavailable(ProtoViews.serviceRef(ref)));
        reply(response, out.build());
    }

    private static <T> void reply(StreamObserver<T> response, T message) {
        response.onNext(message);
        response.onCompleted();
    }
}
