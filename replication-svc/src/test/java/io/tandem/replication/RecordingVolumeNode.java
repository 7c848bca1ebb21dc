package io.tandem.replication;

import com.google.protobuf.Message;
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
import io.tandem.membership.Registration;
import io.tandem.proto.v1.ClaimedWorker;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.VolumeModelUpdate;
import io.tandem.proto.v1.VolumeServiceCleanupWorkersRequest;
import io.tandem.proto.v1.VolumeServiceCleanupWorkersResponse;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedRequest;
import io.tandem.proto.v1.VolumeServiceFailoverCompletedResponse;
import io.tandem.proto.v1.VolumeServiceFailoverRequest;
import io.tandem.proto.v1.VolumeServiceFailoverResponse;
import io.tandem.proto.v1.VolumeServiceFreezeRequest;
import io.tandem.proto.v1.VolumeServiceFreezeResponse;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeServiceThawRequest;
import io.tandem.proto.v1.VolumeServiceThawResponse;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationRequest;
import io.tandem.proto.v1.VolumeServiceUpdateHostReplicationResponse;
import io.tandem.runtime.grpc.RequestIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A stand-in for a volume node's gRPC server that records the calls it receives and answers with a scripted outcome.
 * This is the one place where replication-svc's tests do not run the real thing: what they check is that
 * replication-svc picks the right node, reaches it at the address in its etcd member key, sends it the right request
 * with a deadline and the request id, and acts correctly on every answer a real node may give (volume.proto's status
 * codes). The node's own side (cleanup, the driver's promote, converging) is volume-svc's and is tested there. It
 * listens on a real loopback port, because replication-svc reaches nodes by the address they publish in etcd.
 *
 * <p>Faults are injected at the node boundary: an RPC can fail with a status (always, or the next n times), or hang
 * until the test releases it. When given its etcd registration ({@link #serve}), the node behaves like a converging
 * member: a successful FailoverCompleted updates its member key to the new epoch and active backend.
 */
final class RecordingVolumeNode implements AutoCloseable {
    private static final Context.Key<String> REQUEST_ID = Context.key("recorded-request-id");

    /** The RPCs this node answers. */
    enum Rpc {
        CLEANUP_WORKERS,
        FAILOVER,
        FAILOVER_COMPLETED,
        FREEZE,
        THAW,
        UPDATE_HOST_REPLICATION
    }

    /** One CleanupWorkers call as the node saw it. */
    record Call(VolumeServiceCleanupWorkersRequest request, String requestId, boolean hadDeadline) {}

    /** One call of any RPC as the node saw it. */
    record Seen(Rpc rpc, Message request, String requestId, boolean hadDeadline) {}

    private record Fault(Status status, AtomicInteger remaining) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<Rpc, Fault> faults = new ConcurrentHashMap<>();
    private final Map<Rpc, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Server server;
    private volatile Status failWith;
    private volatile Registration registration;
    private volatile Function<VolumeServiceFailoverRequest, List<VolumeModelUpdate>> updates = r -> List.of();
    private volatile String promotesTo;
    private volatile Function<VolumeServiceUpdateHostReplicationRequest, List<VolumeModelUpdate>> hostUpdates =
            r -> List.of();
    private volatile ReplicationStatus hostStatus;
    private volatile String hostActive = "";

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

    /** From now on, every CleanupWorkers call fails with {@code status} (null: calls succeed again). */
    void failWith(Status status) {
        this.failWith = status;
    }

    /** {@code rpc} fails with {@code status} from now on. */
    void fail(Rpc rpc, Status status) {
        faults.put(rpc, new Fault(status, new AtomicInteger(Integer.MAX_VALUE)));
    }

    /** {@code rpc} fails with {@code status} the next {@code times} calls, then succeeds. */
    void fail(Rpc rpc, Status status, int times) {
        faults.put(rpc, new Fault(status, new AtomicInteger(times)));
    }

    /** {@code rpc} succeeds again. */
    void heal(Rpc rpc) {
        faults.remove(rpc);
    }

    /** Calls of {@code rpc} hang (after being recorded) until {@link #release}. */
    void hold(Rpc rpc) {
        holds.put(rpc, new CountDownLatch(1));
    }

    /** Lets held calls of {@code rpc} (and later ones) proceed. */
    void release(Rpc rpc) {
        CountDownLatch latch = holds.remove(rpc);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** The volume updates a successful Failover answers with, computed from the request. */
    void promoteUpdates(Function<VolumeServiceFailoverRequest, List<VolumeModelUpdate>> updates) {
        this.updates = updates;
    }

    /** Makes a successful Failover answer this active backend instead of the requested one (a misbehaving driver). */
    void promotesTo(String activeBackendId) {
        this.promotesTo = activeBackendId;
    }

    /** The volume updates a successful UpdateHostReplication answers with, computed from the request. */
    void hostReplicationUpdates(Function<VolumeServiceUpdateHostReplicationRequest, List<VolumeModelUpdate>> updates) {
        this.hostUpdates = updates;
    }

    /**
     * Makes a successful UpdateHostReplication answer {@code status} and {@code activeBackendId} (a misbehaving
     * driver); by default it answers ENABLED with targets, DISABLED without, and the primary ("").
     */
    void hostReplicationAnswers(ReplicationStatus status, String activeBackendId) {
        this.hostStatus = status;
        this.hostActive = activeBackendId;
    }

    /** The node's member key: a successful FailoverCompleted moves it to the new epoch and active backend. */
    void serve(Registration registration) {
        this.registration = registration;
    }

    /** Forgets the calls seen so far, the faults and the script, and lets held calls go. */
    void reset() {
        calls.clear();
        seen.clear();
        failWith = null;
        faults.clear();
        holds.keySet().forEach(this::release);
        registration = null;
        updates = r -> List.of();
        promotesTo = null;
        hostUpdates = r -> List.of();
        hostStatus = null;
        hostActive = "";
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The requests of {@code rpc} seen so far, in order. */
    @SuppressWarnings("unchecked")
    <T extends Message> List<T> requests(Rpc rpc) {
        return seen.stream()
                .filter(s -> s.rpc() == rpc)
                .map(s -> (T) s.request())
                .toList();
    }

    /** Every call of {@code rpc} as seen. */
    List<Seen> seen(Rpc rpc) {
        return seen.stream().filter(s -> s.rpc() == rpc).toList();
    }

    @Override
    public void close() {
        holds.keySet().forEach(this::release);
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records the call, waits while held, and answers its fault if one is set; true when the call may proceed. */
    private boolean admit(Rpc rpc, Message request, StreamObserver<?> response) {
        seen.add(new Seen(rpc, request, REQUEST_ID.get(), Context.current().getDeadline() != null));
        CountDownLatch hold = holds.get(rpc);
        if (hold != null) {
            try {
                if (!hold.await(60, TimeUnit.SECONDS)) {
                    response.onError(Status.DEADLINE_EXCEEDED
                            .withDescription("held too long")
                            .asRuntimeException());
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.onError(Status.CANCELLED.asRuntimeException());
                return false;
            }
        }
        if (Context.current().isCancelled()) {
            return false;
        }
        Fault fault = faults.get(rpc);
        if (fault != null && fault.remaining().getAndDecrement() > 0) {
            response.onError(fault.status().asRuntimeException());
            return false;
        }
        return true;
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
            if (!admit(Rpc.CLEANUP_WORKERS, request, response)) {
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

        @Override
        public void failover(
                VolumeServiceFailoverRequest request, StreamObserver<VolumeServiceFailoverResponse> response) {
            if (!admit(Rpc.FAILOVER, request, response)) {
                return;
            }
            String secondary = request.getSecondaryBackendId();
            String active = promotesTo != null ? promotesTo : "default".equals(secondary) ? "" : secondary;
            response.onNext(VolumeServiceFailoverResponse.newBuilder()
                    .setActiveBackendId(active)
                    .addAllVolumeUpdates(updates.apply(request))
                    .build());
            response.onCompleted();
        }

        @Override
        public void failoverCompleted(
                VolumeServiceFailoverCompletedRequest request,
                StreamObserver<VolumeServiceFailoverCompletedResponse> response) {
            if (!admit(Rpc.FAILOVER_COMPLETED, request, response)) {
                return;
            }
            Registration own = registration;
            String active = request.getActiveBackendId().isEmpty() ? null : request.getActiveBackendId();
            if (own != null) {
                own.update(own.member().serving(request.getEpoch(), active)).join();
            }
            response.onNext(VolumeServiceFailoverCompletedResponse.newBuilder()
                    .setServedEpoch(request.getEpoch())
                    .setActiveBackendId(request.getActiveBackendId())
                    .build());
            response.onCompleted();
        }

        @Override
        public void updateHostReplication(
                VolumeServiceUpdateHostReplicationRequest request,
                StreamObserver<VolumeServiceUpdateHostReplicationResponse> response) {
            if (!admit(Rpc.UPDATE_HOST_REPLICATION, request, response)) {
                return;
            }
            ReplicationStatus status = hostStatus != null
                    ? hostStatus
                    : request.getNewTargetsCount() > 0
                            ? ReplicationStatus.REPLICATION_STATUS_ENABLED
                            : ReplicationStatus.REPLICATION_STATUS_DISABLED;
            response.onNext(VolumeServiceUpdateHostReplicationResponse.newBuilder()
                    .setReplicationStatus(status)
                    .setActiveBackendId(hostActive)
                    .addAllVolumeUpdates(hostUpdates.apply(request))
                    .build());
            response.onCompleted();
        }

        @Override
        public void freeze(VolumeServiceFreezeRequest request, StreamObserver<VolumeServiceFreezeResponse> response) {
            if (admit(Rpc.FREEZE, request, response)) {
                response.onNext(VolumeServiceFreezeResponse.getDefaultInstance());
                response.onCompleted();
            }
        }

        @Override
        public void thaw(VolumeServiceThawRequest request, StreamObserver<VolumeServiceThawResponse> response) {
            if (admit(Rpc.THAW, request, response)) {
                response.onNext(VolumeServiceThawResponse.getDefaultInstance());
                response.onCompleted();
            }
        }
    }
}
