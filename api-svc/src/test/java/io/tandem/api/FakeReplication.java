package io.tandem.api;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
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
import io.tandem.proto.v1.ReplicationServiceGrpc.ReplicationServiceImplBase;
import io.tandem.proto.v1.ThawRequest;
import io.tandem.proto.v1.ThawResponse;
import io.tandem.proto.v1.WorkCleanupRequest;
import io.tandem.proto.v1.WorkCleanupResponse;

/**
 * A replication-svc for api-svc's tests: each of its RPCs records the call and answers what the test scripted (see
 * {@link ScriptedBackend}).
 */
public final class FakeReplication extends ScriptedBackend {
    /** On a free port. */
    public FakeReplication() {
        this(0);
    }

    /** On {@code port} (a test that starts the backend after api-svc). */
    public FakeReplication(int port) {
        super(port);
    }

    @Override
    protected BindableService rpcs() {
        return new Rpcs();
    }

    private final class Rpcs extends ReplicationServiceImplBase {
        @Override
        public void listServices(ListServicesRequest request, StreamObserver<ListServicesResponse> observer) {
            respond("ListServices", request, observer, ListServicesResponse.getDefaultInstance());
        }

        @Override
        public void enableService(EnableServiceRequest request, StreamObserver<EnableServiceResponse> observer) {
            respond("EnableService", request, observer, EnableServiceResponse.getDefaultInstance());
        }

        @Override
        public void disableService(DisableServiceRequest request, StreamObserver<DisableServiceResponse> observer) {
            respond("DisableService", request, observer, DisableServiceResponse.getDefaultInstance());
        }

        @Override
        public void freeze(FreezeRequest request, StreamObserver<FreezeResponse> observer) {
            respond("Freeze", request, observer, FreezeResponse.getDefaultInstance());
        }

        @Override
        public void thaw(ThawRequest request, StreamObserver<ThawResponse> observer) {
            respond("Thaw", request, observer, ThawResponse.getDefaultInstance());
        }

        @Override
        public void failover(FailoverRequest request, StreamObserver<FailoverResponse> observer) {
            respond("Failover", request, observer, FailoverResponse.getDefaultInstance());
        }

        @Override
        public void listClusters(ListClustersRequest request, StreamObserver<ListClustersResponse> observer) {
            respond("ListClusters", request, observer, ListClustersResponse.getDefaultInstance());
        }

        @Override
        public void getCluster(GetClusterRequest request, StreamObserver<GetClusterResponse> observer) {
            respond("GetCluster", request, observer, GetClusterResponse.getDefaultInstance());
        }

        @Override
        public void enableCluster(EnableClusterRequest request, StreamObserver<EnableClusterResponse> observer) {
            respond("EnableCluster", request, observer, EnableClusterResponse.getDefaultInstance());
        }

        @Override
        public void disableCluster(DisableClusterRequest request, StreamObserver<DisableClusterResponse> observer) {
            respond("DisableCluster", request, observer, DisableClusterResponse.getDefaultInstance());
        }

        @Override
        public void workCleanup(WorkCleanupRequest request, StreamObserver<WorkCleanupResponse> observer) {
            respond("WorkCleanup", request, observer, WorkCleanupResponse.getDefaultInstance());
        }

        @Override
        public void listFailovers(ListFailoversRequest request, StreamObserver<ListFailoversResponse> observer) {
            respond("ListFailovers", request, observer, ListFailoversResponse.getDefaultInstance());
        }

        @Override
        public void getFailover(GetFailoverRequest request, StreamObserver<GetFailoverResponse> observer) {
            respond("GetFailover", request, observer, GetFailoverResponse.getDefaultInstance());
        }

        @Override
        public void promote(PromoteRequest request, StreamObserver<PromoteResponse> observer) {
            respond("Promote", request, observer, PromoteResponse.getDefaultInstance());
        }
    }
}
