package io.tandem.api;

import com.google.protobuf.Message;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
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
import io.tandem.proto.v1.ReplicationServiceGrpc.ReplicationServiceImplBase;
import io.tandem.proto.v1.ThawRequest;
import io.tandem.proto.v1.ThawResponse;
import io.tandem.proto.v1.WorkCleanupRequest;
import io.tandem.proto.v1.WorkCleanupResponse;
import io.tandem.runtime.grpc.EndpointInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A replication-svc for api-svc's tests, on a real gRPC server on a loopback port: it records each call (method,
 * request, metadata) and answers what the test scripted for the method, a response or a status, else the method's
 * empty response. Wrapped in the runtime's EndpointInterceptor, as the real services are, so its errors carry the
 * request id in their trailers exactly as theirs do.
 */
public final class FakeReplication extends ReplicationServiceImplBase implements AutoCloseable {
    /** One call as the fake received it. */
    public record Call(String method, Message request, Metadata headers) {
        public String header(String name) {
            return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        }
    }

    private static final Context.Key<Metadata> HEADERS = Context.key("headers");

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Object> scripted = new ConcurrentHashMap<>();
    private final CountDownLatch never = new CountDownLatch(1);
    private final Server server;

    /** On a free port. */
    public FakeReplication() {
        this(0);
    }

    /** On {@code port} (a test that starts the backend after api-svc). */
    public FakeReplication(int port) {
        ServerInterceptor capture = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
            }
        };
        try {
            server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                    .addService(ServerInterceptors.intercept(this, capture, new EndpointInterceptor()))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** The next calls of {@code method} (e.g. "Freeze") answer {@code response}. */
    public void answer(String method, Message response) {
        scripted.put(method, response);
    }

    /** The next calls of {@code method} fail with {@code status}. */
    public void fail(String method, Status status) {
        scripted.put(method, status);
    }

    /** The next calls of {@code method} never answer (until close): the caller's deadline decides. */
    public void hang(String method) {
        scripted.put(method, never);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** The one call of {@code method}; fails the test when there were none or several. */
    public Call only(String method) {
        List<Call> matching = calls(method);
        if (matching.size() != 1) {
            throw new AssertionError("expected one " + method + " call, got " + matching.size() + ": " + calls);
        }
        return matching.get(0);
    }

    public void reset() {
        calls.clear();
        scripted.clear();
    }

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
        respondComputed("ListClusters", request, observer, ListClustersResponse.getDefaultInstance());
    }

    @Override
    public void getCluster(GetClusterRequest request, StreamObserver<GetClusterResponse> observer) {
        respondComputed("GetCluster", request, observer, GetClusterResponse.getDefaultInstance());
    }

    @Override
    public void enableCluster(EnableClusterRequest request, StreamObserver<EnableClusterResponse> observer) {
        respondComputed("EnableCluster", request, observer, EnableClusterResponse.getDefaultInstance());
    }

    @Override
    public void disableCluster(DisableClusterRequest request, StreamObserver<DisableClusterResponse> observer) {
        respondComputed("DisableCluster", request, observer, DisableClusterResponse.getDefaultInstance());
    }

    @Override
    public void workCleanup(WorkCleanupRequest request, StreamObserver<WorkCleanupResponse> observer) {
        respondComputed("WorkCleanup", request, observer, WorkCleanupResponse.getDefaultInstance());
    }

    @Override
    public void listFailovers(ListFailoversRequest request, StreamObserver<ListFailoversResponse> observer) {
        respondComputed("ListFailovers", request, observer, ListFailoversResponse.getDefaultInstance());
    }

    @Override
    public void getFailover(GetFailoverRequest request, StreamObserver<GetFailoverResponse> observer) {
        respondComputed("GetFailover", request, observer, GetFailoverResponse.getDefaultInstance());
    }

    /**
     * The next calls of {@code method} answer what {@code responder} computes from each request (e.g. one page per
     * page token). Only the methods that answer through {@link #respondComputed} honour it.
     */
    public void answerWith(String method, Function<Message, ? extends Message> responder) {
        scripted.put(method, responder);
    }

    /** As {@link #respond}, and a responder set with {@link #answerWith} answers first. */
    @SuppressWarnings("unchecked")
    private <R extends Message> void respondComputed(
            String method, Message request, StreamObserver<R> observer, R empty) {
        if (scripted.get(method) instanceof Function<?, ?> responder) {
            calls.add(new Call(method, request, HEADERS.get()));
            observer.onNext((R) ((Function<Message, ? extends Message>) responder).apply(request));
            observer.onCompleted();
            return;
        }
        respond(method, request, observer, empty);
    }

    @SuppressWarnings("unchecked")
    private <R extends Message> void respond(String method, Message request, StreamObserver<R> observer, R empty) {
        calls.add(new Call(method, request, HEADERS.get()));
        Object answer = scripted.getOrDefault(method, empty);
        if (answer == never) {
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
    public void close() {
        never.countDown();
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
