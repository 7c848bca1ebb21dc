package io.tandem.systemtests;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** What a grpcurl user does, in Java: server reflection, and looking at the metadata a server sends back. */
final class Grpc {
    static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of("x-openstack-request-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final long DEADLINE_SECONDS = 10;

    private Grpc() {}

    /** The fully qualified names of the services the server lists through reflection v1 ({@code grpcurl list}). */
    static List<String> listServices(Channel channel) {
        ServerReflectionResponse response = reflect(
                channel,
                ServerReflectionRequest.newBuilder().setListServices("").build());
        return response.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName)
                .toList();
    }

    /**
     * The service names declared by the files reflection returns for {@code symbol} ({@code grpcurl describe}): proves
     * the server ships its descriptors, so clients need no .proto files.
     */
    static List<String> servicesDescribedBy(Channel channel, String symbol) {
        ServerReflectionResponse response = reflect(
                channel,
                ServerReflectionRequest.newBuilder()
                        .setFileContainingSymbol(symbol)
                        .build());
        List<String> services = new ArrayList<>();
        for (ByteString bytes : response.getFileDescriptorResponse().getFileDescriptorProtoList()) {
            try {
                FileDescriptorProto file = FileDescriptorProto.parseFrom(bytes);
                for (ServiceDescriptorProto service : file.getServiceList()) {
                    services.add(file.getPackage() + "." + service.getName());
                }
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("reflection returned an unparseable file descriptor for " + symbol, e);
            }
        }
        return services;
    }

    /** What one call sent back besides its message. */
    record Exchange(Object result, Metadata headers, Metadata trailers) {}

    /**
     * Makes one call on {@code channel} with {@code sent} as extra request metadata and captures the response headers
     * and trailers; {@code call} gets the intercepted channel. A call failing with a status is captured too: then
     * {@code result} is the {@link StatusRuntimeException}.
     */
    static Exchange exchange(Channel channel, Metadata sent, Function<Channel, ?> call) {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        Channel intercepted = ClientInterceptors.intercept(
                channel,
                MetadataUtils.newAttachHeadersInterceptor(sent),
                MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
        Object result;
        try {
            result = call.apply(intercepted);
        } catch (StatusRuntimeException e) {
            result = e;
        }
        return new Exchange(result, headers.get(), trailers.get());
    }

    static Metadata requestId(String id) {
        Metadata metadata = new Metadata();
        if (id != null) {
            metadata.put(REQUEST_ID, id);
        }
        return metadata;
    }

    private static ServerReflectionResponse reflect(Channel channel, ServerReflectionRequest request) {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new AssertionError("reflection stream ended without an answer"));
                    }
                });
        requests.onNext(request);
        requests.onCompleted();
        try {
            ServerReflectionResponse response = answer.get(DEADLINE_SECONDS + 1, TimeUnit.SECONDS);
            if (response.hasErrorResponse()) {
                throw new AssertionError("reflection answered an error for " + request + ": "
                        + response.getErrorResponse().getErrorMessage());
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during reflection", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("reflection failed: " + e, e);
        }
    }
}
