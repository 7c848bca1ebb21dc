package io.tandem.scheduler;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;
import io.tandem.proto.v1.Volume;
import io.tandem.proto.v1.VolumeServiceCreateVolumeRequest;
import io.tandem.proto.v1.VolumeServiceCreateVolumeResponse;
import io.tandem.proto.v1.VolumeServiceDeleteVolumeRequest;
import io.tandem.proto.v1.VolumeServiceDeleteVolumeResponse;
import io.tandem.proto.v1.VolumeServiceExtendVolumeRequest;
import io.tandem.proto.v1.VolumeServiceExtendVolumeResponse;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.runtime.grpc.RequestIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A real gRPC server speaking VolumeService that records what the scheduler sends it (operation, volume, request id,
 * expected epoch) and answers OK. It stands in for a volume node only where the scheduler's side of the protocol is
 * under test; the real node is exercised by the system tests. {@code beforeAnswer} lets a test act as the node would
 * before it answers (claim the workers row, hang).
 */
final class RecordingNode implements AutoCloseable {
    /** One call received. */
    record Call(String operation, String volumeId, String requestId, long expectedEpoch, int newSizeGb) {}

    private static final Context.Key<String> REQUEST_ID = Context.key("recorded-request-id");

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Server server;
    private volatile Consumer<Call> beforeAnswer = call -> {};

    RecordingNode() {
        ServerInterceptor capture = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                Context context = Context.current().withValue(REQUEST_ID, headers.get(RequestIds.METADATA_KEY));
                return Contexts.interceptCall(context, call, headers, next);
            }
        };
        try {
            server = ServerBuilder.forPort(0)
                    .addService(ServerInterceptors.intercept(new Service(), capture))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<Call> callsFor(String volumeId) {
        return calls.stream().filter(c -> c.volumeId().equals(volumeId)).toList();
    }

    void beforeAnswer(Consumer<Call> action) {
        beforeAnswer = action;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private final class Service extends VolumeServiceGrpc.VolumeServiceImplBase {
        @Override
        public void createVolume(
                VolumeServiceCreateVolumeRequest request, StreamObserver<VolumeServiceCreateVolumeResponse> response) {
            record("create", request.getVolumeId(), request.getExpectedEpoch(), 0);
            response.onNext(VolumeServiceCreateVolumeResponse.newBuilder()
                    .setVolume(Volume.newBuilder().setId(request.getVolumeId()))
                    .build());
            response.onCompleted();
        }

        @Override
        public void deleteVolume(
                VolumeServiceDeleteVolumeRequest request, StreamObserver<VolumeServiceDeleteVolumeResponse> response) {
            record("delete", request.getVolumeId(), request.getExpectedEpoch(), 0);
            response.onNext(VolumeServiceDeleteVolumeResponse.getDefaultInstance());
            response.onCompleted();
        }

        @Override
        public void extendVolume(
                VolumeServiceExtendVolumeRequest request, StreamObserver<VolumeServiceExtendVolumeResponse> response) {
            record("extend", request.getVolumeId(), request.getExpectedEpoch(), request.getNewSizeGb());
            response.onNext(VolumeServiceExtendVolumeResponse.newBuilder()
                    .setVolume(Volume.newBuilder().setId(request.getVolumeId()))
                    .build());
            response.onCompleted();
        }

        private void record(String operation, String volumeId, long epoch, int newSize) {
            Call call = new Call(operation, volumeId, REQUEST_ID.get(), epoch, newSize);
            calls.add(call);
            beforeAnswer.accept(call);
        }
    }
}
