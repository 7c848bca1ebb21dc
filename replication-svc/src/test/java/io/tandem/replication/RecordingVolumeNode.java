package io.tandem.replication;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.tandem.proto.v1.ClaimedWorker;
import io.tandem.proto.v1.VolumeServiceCleanupWorkersRequest;
import io.tandem.proto.v1.VolumeServiceCleanupWorkersResponse;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.runtime.grpc.RequestIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a volume node's gRPC server that records the CleanupWorkers calls it receives and answers with a
 * chosen outcome. This is the one place where replication-svc's tests do not run the real thing: what they check is
 * that replication-svc picks the right node, reaches it at the address in its etcd member key, and sends it the right
 * request with a deadline and the request id. The node's own cleanup (claiming and finishing rows) is volume-svc's and
 * is tested there, against real rows. It listens on a real loopback port, because replication-svc reaches nodes by
 * the address they publish in etcd.
 */
final class RecordingVolumeNode implements AutoCloseable {
    private static final Context.Key<String> REQUEST_ID = Context.key("recorded-request-id");

    /** One call as the node saw it. */
    record Call(VolumeServiceCleanupWorkersRequest request, String requestId, boolean hadDeadline) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Server server;
    private volatile Status failWith;

    private RecordingVolumeNode() {
        ServerInterceptor captureRequestId = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                Context context = Context.current().withValue(REQUEST_ID, headers.get(RequestIds.METADATA_KEY));
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(ServerInterceptors.intercept(new Service(), captureRequestId))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the recording volume node", e);
        }
    }

    static RecordingVolumeNode start() {
        return new RecordingVolumeNode();
    }

    /** {@code host:port}, what a node publishes as its grpc_address. */
    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** From now on, every call fails with {@code status} (null: calls succeed again). */
    void failWith(Status status) {
        this.failWith = status;
    }

    /** Forgets the calls seen so far and succeeds again. */
    void reset() {
        calls.clear();
        failWith = null;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Service extends VolumeServiceGrpc.VolumeServiceImplBase {
        @Override
        public void cleanupWorkers(
                VolumeServiceCleanupWorkersRequest request,
                StreamObserver<VolumeServiceCleanupWorkersResponse> response) {
            calls.add(new Call(request, REQUEST_ID.get(), Context.current().getDeadline() != null));
            Status failure = failWith;
            if (failure != null) {
                response.onError(failure.asRuntimeException());
                return;
            }
            VolumeServiceCleanupWorkersResponse.Builder claimed = VolumeServiceCleanupWorkersResponse.newBuilder();
            for (int serviceId : request.getServiceIdsList()) {
                claimed.addClaimed(ClaimedWorker.newBuilder()
                        .setResourceType("Volume")
                        .setStatus("creating")
                        .setPreviousServiceId(serviceId));
            }
            response.onNext(claimed.build());
            response.onCompleted();
        }
    }
}
