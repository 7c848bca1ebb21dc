package io.tandem.runtime.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.tandem.core.error.AbortedException;
import io.tandem.core.error.AlreadyExistsException;
import io.tandem.core.error.FrozenBackendException;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.core.error.NotFoundException;
import io.tandem.core.error.StaleEpochException;
import io.tandem.core.error.UnavailableException;
import io.tandem.core.error.UnimplementedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The interceptor every endpoint of every service runs behind, on a real (in-process) gRPC server: domain exceptions become
 * the status code of the one mapping table whether the handler throws them or passes them to {@code onError}; nothing
 * else leaks; request ids flow in and out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterceptorsTest {
    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> THROWING = method("Throwing");
    private static final MethodDescriptor<String, String> ON_ERROR = method("OnError");
    private static final MethodDescriptor<String, String> REQUEST_ID = method("RequestId");

    /** Each error the handler raises, by the request text that selects it. */
    private static final Map<String, Supplier<RuntimeException>> ERRORS = Map.of(
            "invalid", () -> new InvalidArgumentException("backend id 'x' is not configured"),
            "notfound", () -> new NotFoundException("Cluster c could not be found."),
            "exists", () -> new AlreadyExistsException("volume v exists"),
            "frozen", FrozenBackendException::new,
            "stale", () -> new StaleEpochException("cluster c", 3, 4),
            "aborted", () -> new AbortedException("lost a race"),
            "unavailable", () -> new UnavailableException("etcd at [http://127.0.0.1:1] unreachable"),
            "unimplemented", () -> new UnimplementedException("not built yet"),
            "bug", () -> new IllegalStateException("secret internal detail"));

    private Server server;
    private ManagedChannel channel;
    private final AtomicReference<String> seenRequestId = new AtomicReference<>();

    @BeforeAll
    void start() throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder("test.Errors")
                .addMethod(THROWING, ServerCalls.asyncUnaryCall((request, observer) -> {
                    throw ERRORS.get(request).get();
                }))
                .addMethod(
                        ON_ERROR,
                        ServerCalls.asyncUnaryCall((request, observer) ->
                                observer.onError(ERRORS.get(request).get())))
                .addMethod(REQUEST_ID, ServerCalls.asyncUnaryCall((request, observer) -> {
                    seenRequestId.set(RequestIds.current());
                    observer.onNext("ok");
                    observer.onCompleted();
                }))
                .build();
        ServerServiceDefinition intercepted = ServerInterceptors.intercept(service, new EndpointInterceptor());
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .addService(intercepted)
                .directExecutor()
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterAll
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void domainErrorsMapToTheirStatusWhetherThrownOrPassedToOnError() {
        Map<String, Status.Code> expected = Map.of(
                "invalid", Status.Code.INVALID_ARGUMENT,
                "notfound", Status.Code.NOT_FOUND,
                "exists", Status.Code.ALREADY_EXISTS,
                "frozen", Status.Code.FAILED_PRECONDITION,
                "stale", Status.Code.FAILED_PRECONDITION,
                "aborted", Status.Code.ABORTED,
                "unavailable", Status.Code.UNAVAILABLE,
                "unimplemented", Status.Code.UNIMPLEMENTED);
        for (MethodDescriptor<String, String> method : new MethodDescriptor[] {THROWING, ON_ERROR}) {
            expected.forEach((request, code) -> {
                StatusRuntimeException e = call(method, request, new Metadata());
                assertEquals(code, e.getStatus().getCode(), method.getBareMethodName() + " " + request);
                assertEquals(
                        ERRORS.get(request).get().getMessage(),
                        e.getStatus().getDescription(),
                        "the operator-facing message crosses the wire unchanged");
            });
        }
    }

    @Test
    void frozenBackendSpeaksCindersWords() {
        StatusRuntimeException e = call(THROWING, "frozen", new Metadata());
        assertEquals(
                "Modification operations are not allowed on frozen storage backends.",
                e.getStatus().getDescription());
    }

    @Test
    void anythingElseIsInternalWithoutDetailsButWithTheRequestId() {
        Metadata headers = new Metadata();
        String id = "req-00000000-0000-4000-8000-000000000001";
        headers.put(RequestIds.METADATA_KEY, id);
        for (MethodDescriptor<String, String> method : new MethodDescriptor[] {THROWING, ON_ERROR}) {
            StatusRuntimeException e = call(method, "bug", headers);
            assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
            assertFalse(e.getStatus().getDescription().contains("secret"), "no internals on the wire");
            assertTrue(e.getStatus().getDescription().contains(id), "the operator can quote the request id");
            assertEquals(null, e.getStatus().getCause(), "no cause on the wire");
            assertEquals(id, e.getTrailers().get(RequestIds.METADATA_KEY), "errors carry the id in the trailers");
        }
    }

    @Test
    void aWellFormedRequestIdIsKeptAndReturned() {
        String id = "req-11111111-2222-4333-8444-555555555555";
        Metadata headers = new Metadata();
        headers.put(RequestIds.METADATA_KEY, id);
        AtomicReference<Metadata> responseHeaders = new AtomicReference<>();
        ClientCalls.blockingUnaryCall(
                ClientInterceptors.intercept(
                        channel,
                        MetadataUtils.newAttachHeadersInterceptor(headers),
                        MetadataUtils.newCaptureMetadataInterceptor(responseHeaders, new AtomicReference<>())),
                REQUEST_ID,
                CallOptions.DEFAULT,
                "x");
        assertEquals(id, seenRequestId.get(), "the handler sees the caller's id");
        assertEquals(id, responseHeaders.get().get(RequestIds.METADATA_KEY), "and the caller gets it back");
    }

    @Test
    void aMissingOrMalformedRequestIdIsReplacedByANewOne() {
        Metadata headers = new Metadata();
        headers.put(RequestIds.METADATA_KEY, "drop table volumes; --");
        ClientCalls.blockingUnaryCall(
                ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                REQUEST_ID,
                CallOptions.DEFAULT,
                "x");
        String replaced = seenRequestId.get();
        assertTrue(replaced.matches("req-[0-9a-f-]{36}"), replaced);
        ClientCalls.blockingUnaryCall(channel, REQUEST_ID, CallOptions.DEFAULT, "x");
        assertTrue(seenRequestId.get().matches("req-[0-9a-f-]{36}"));
        assertNotEquals(replaced, seenRequestId.get(), "every call without an id gets its own");
    }

    private StatusRuntimeException call(MethodDescriptor<String, String> method, String request, Metadata headers) {
        return assertThrows(
                StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(
                        ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                        method,
                        CallOptions.DEFAULT,
                        request));
    }

    private static MethodDescriptor<String, String> method(String name) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Errors", name))
                .setRequestMarshaller(UTF8)
                .setResponseMarshaller(UTF8)
                .build();
    }
}
