package io.tandem.cli;

import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
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
import io.tandem.proto.v1.VolumeServiceGetNodeStatusRequest;
import io.tandem.proto.v1.VolumeServiceGetNodeStatusResponse;
import io.tandem.proto.v1.VolumeServiceGrpc;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A ReplicationService (and a VolumeService, for {@code node status}) that records every request with the deadline it
 * came with, and answers from a script: per method, a queue of responses or {@link Status} errors, the last of which
 * repeats. {@link #HANG} never answers (the client's deadline ends the call). An unscripted method is UNIMPLEMENTED.
 */
final class FakeReplicationService extends ReplicationServiceGrpc.ReplicationServiceImplBase {
    /** A scripted answer that never comes. */
    static final Object HANG = new Object();

    record Call(String method, Message request, Deadline deadline) {}

    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Deque<Object>> script = new HashMap<>();

    /** Scripts the answers of {@code method} (e.g. "ListClusters"): responses, Status errors or HANG, in order. */
    synchronized FakeReplicationService answer(String method, Object... answers) {
        script.put(method, new ArrayDeque<>(List.of(answers)));
        return this;
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Message> requests(String method) {
        return calls.stream()
                .filter(c -> c.method().equals(method))
                .map(Call::request)
                .toList();
    }

    @SuppressWarnings("unchecked")
    private <R> void serve(String method, Message request, StreamObserver<R> observer) {
        Object answer;
        synchronized (this) {
            calls.add(new Call(method, request, Context.current().getDeadline()));
            Deque<Object> answers = script.get(method);
            if (answers == null || answers.isEmpty()) {
                answer = Status.UNIMPLEMENTED.withDescription(method + " is not scripted");
            } else {
                answer = answers.size() > 1 ? answers.poll() : answers.peek();
            }
        }
        if (answer == HANG) {
            return;
        }
        if (answer instanceof Status status) {
            observer.onError(status.asRuntimeException());
            return;
        }
        observer.onNext((R) answer);
        observer.onCompleted();
    }

    @Override
    public void listClusters(ListClustersRequest request, StreamObserver<ListClustersResponse> observer) {
        serve("ListClusters", request, observer);
    }

    @Override
    public void getCluster(GetClusterRequest request, StreamObserver<GetClusterResponse> observer) {
        serve("GetCluster", request, observer);
    }

    @Override
    public void listServices(ListServicesRequest request, StreamObserver<ListServicesResponse> observer) {
        serve("ListServices", request, observer);
    }

    @Override
    public void failover(FailoverRequest request, StreamObserver<FailoverResponse> observer) {
        serve("Failover", request, observer);
    }

    @Override
    public void getFailover(GetFailoverRequest request, StreamObserver<GetFailoverResponse> observer) {
        serve("GetFailover", request, observer);
    }

    @Override
    public void listFailovers(ListFailoversRequest request, StreamObserver<ListFailoversResponse> observer) {
        serve("ListFailovers", request, observer);
    }

    @Override
    public void promote(PromoteRequest request, StreamObserver<PromoteResponse> observer) {
        serve("Promote", request, observer);
    }

    @Override
    public void freeze(FreezeRequest request, StreamObserver<FreezeResponse> observer) {
        serve("Freeze", request, observer);
    }

    @Override
    public void thaw(ThawRequest request, StreamObserver<ThawResponse> observer) {
        serve("Thaw", request, observer);
    }

    /** The VolumeService of one node: GetNodeStatus, scripted and recorded in the same place. */
    VolumeServiceGrpc.VolumeServiceImplBase volumeService() {
        return new VolumeServiceGrpc.VolumeServiceImplBase() {
            @Override
            public void getNodeStatus(
                    VolumeServiceGetNodeStatusRequest request,
                    StreamObserver<VolumeServiceGetNodeStatusResponse> observer) {
                serve("GetNodeStatus", request, observer);
            }
        };
    }
}
