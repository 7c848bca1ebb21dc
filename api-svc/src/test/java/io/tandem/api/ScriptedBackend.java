package io.tandem.api;

import com.google.protobuf.Message;
import io.grpc.BindableService;
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
 * A backend for api-svc's tests, on a real gRPC server on a loopback port: it records each call (method, request,
 * metadata) and answers what the test scripted for the method, a response, a computed response or a status, else the
 * method's empty response. Wrapped in the runtime's EndpointInterceptor, as the real services are, so its errors carry
 * the request id in their trailers exactly as theirs do. A fake names its service's RPCs in {@link #rpcs()}, each
 * answering through {@link #respond}.
 */
public abstract class ScriptedBackend implements AutoCloseable {
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

    /** On {@code port}, or a free port when 0. */
    protected ScriptedBackend(int port) {
        ServerInterceptor capture = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
            }
        };
        try {
            server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                    .addService(ServerInterceptors.intercept(rpcs(), capture, new EndpointInterceptor()))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The service this fake serves, its RPCs answering through {@link #respond}. Asked for once, from the constructor,
     * before the subclass's own fields are set: the service must keep no state of its own.
     */
    protected abstract BindableService rpcs();

    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** The next calls of {@code method} (e.g. "Freeze") answer {@code response}. */
    public void answer(String method, Message response) {
        scripted.put(method, response);
    }

    /**
     * The next calls of {@code method} answer what {@code responder} computes from each request (e.g. one page per
     * page token).
     */
    public void answerWith(String method, Function<Message, ? extends Message> responder) {
        scripted.put(method, responder);
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

    /** Records the call and answers what was scripted for {@code method}, else {@code empty}. */
    @SuppressWarnings("unchecked")
    protected final <R extends Message> void respond(
            String method, Message request, StreamObserver<R> observer, R empty) {
        calls.add(new Call(method, request, HEADERS.get()));
        Object answer = scripted.getOrDefault(method, empty);
        if (answer == never) {
            return;
        }
        if (answer instanceof Status status) {
            observer.onError(status.asRuntimeException());
            return;
        }
        if (answer instanceof Function<?, ?> responder) {
            answer = ((Function<Message, ? extends Message>) responder).apply(request);
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
