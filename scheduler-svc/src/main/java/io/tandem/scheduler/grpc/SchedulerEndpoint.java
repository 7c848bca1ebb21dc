package io.tandem.scheduler.grpc;

import io.grpc.stub.StreamObserver;
import io.tandem.persistence.volume.VolumePage;
import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.CreateVolumeResponse;
import io.tandem.proto.v1.DeleteVolumeRequest;
import io.tandem.proto.v1.DeleteVolumeResponse;
import io.tandem.proto.v1.ExtendVolumeRequest;
import io.tandem.proto.v1.ExtendVolumeResponse;
import io.tandem.proto.v1.GetVolumeRequest;
import io.tandem.proto.v1.GetVolumeResponse;
import io.tandem.proto.v1.ListVolumesRequest;
import io.tandem.proto.v1.ListVolumesResponse;
import io.tandem.proto.v1.SchedulerServiceGrpc;
import io.tandem.runtime.grpc.RequestIds;
import io.tandem.runtime.proto.StoredValues;
import io.tandem.runtime.proto.VolumeMessages;
import io.tandem.scheduler.domain.volumes.CreateVolumeCommand;
import io.tandem.scheduler.domain.volumes.Ids;
import io.tandem.scheduler.domain.volumes.Scope;
import io.tandem.scheduler.domain.volumes.VolumeCreator;
import io.tandem.scheduler.domain.volumes.VolumeModifier;
import io.tandem.scheduler.domain.volumes.VolumeReader;
import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * The scheduler's gRPC endpoint: maps messages to the domain's commands and back, nothing else. Errors are the
 * domain's exceptions, thrown through; the runtime's interceptor turns them into status codes.
 */
@Singleton
public class SchedulerEndpoint extends SchedulerServiceGrpc.SchedulerServiceImplBase {
    private final VolumeCreator creator;
    private final VolumeModifier modifier;
    private final VolumeReader reader;

    public SchedulerEndpoint(VolumeCreator creator, VolumeModifier modifier, VolumeReader reader) {
        this.creator = creator;
        this.modifier = modifier;
        this.reader = reader;
    }

    @Override
    public void createVolume(CreateVolumeRequest request, StreamObserver<CreateVolumeResponse> response) {
        UUID id = request.getVolumeId().isEmpty() ? null : Ids.parse("volume_id", request.getVolumeId());
        CreateVolumeCommand command = new CreateVolumeCommand(
                id,
                request.getProjectId(),
                blankToNull(request.getUserId()),
                blankToNull(request.getName()),
                blankToNull(request.getDescription()),
                request.getSizeGb());
        reply(
                response,
                CreateVolumeResponse.newBuilder()
                        .setVolume(VolumeMessages.toProto(creator.create(command, RequestIds.current())))
                        .build());
    }

    @Override
    public void getVolume(GetVolumeRequest request, StreamObserver<GetVolumeResponse> response) {
        Scope scope = Scope.of(request.getProjectId(), request.getAllTenants());
        UUID id = Ids.parse("volume_id", request.getVolumeId());
        reply(
                response,
                GetVolumeResponse.newBuilder()
                        .setVolume(VolumeMessages.toProto(reader.get(id, scope)))
                        .build());
    }

    @Override
    public void listVolumes(ListVolumesRequest request, StreamObserver<ListVolumesResponse> response) {
        Scope scope = Scope.of(request.getProjectId(), request.getAllTenants());
        VolumeReader.ListCommand command = new VolumeReader.ListCommand(
                scope,
                request.hasName() ? request.getName() : null,
                request.hasStatus() ? StoredValues.storedVolumeStatus(request.getStatus()) : null,
                request.hasClusterName() ? request.getClusterName() : null,
                request.getLimit(),
                request.getMarker().isEmpty() ? null : Ids.parse("marker", request.getMarker()),
                ListParameters.sortKey(request.getSortKey()),
                ListParameters.ascending(request.getSortDir()));
        VolumePage page = reader.list(command);
        ListVolumesResponse.Builder body = ListVolumesResponse.newBuilder();
        page.volumes().forEach(v -> body.addVolumes(VolumeMessages.toProto(v)));
        page.nextMarker().ifPresent(marker -> body.setNextMarker(marker.toString()));
        reply(response, body.build());
    }

    @Override
    public void deleteVolume(DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> response) {
        Scope scope = Scope.of(request.getProjectId(), request.getAllTenants());
        UUID id = Ids.parse("volume_id", request.getVolumeId());
        DeleteVolumeResponse.Builder body = DeleteVolumeResponse.newBuilder();
        modifier.delete(id, scope, RequestIds.current()).ifPresent(v -> body.setVolume(VolumeMessages.toProto(v)));
        reply(response, body.build());
    }

    @Override
    public void extendVolume(ExtendVolumeRequest request, StreamObserver<ExtendVolumeResponse> response) {
        Scope scope = Scope.of(request.getProjectId(), request.getAllTenants());
        UUID id = Ids.parse("volume_id", request.getVolumeId());
        reply(
                response,
                ExtendVolumeResponse.newBuilder()
                        .setVolume(VolumeMessages.toProto(
                                modifier.extend(id, scope, request.getNewSizeGb(), RequestIds.current())))
                        .build());
    }

    private static <T> void reply(StreamObserver<T> response, T body) {
        response.onNext(body);
        response.onCompleted();
    }

    private static String blankToNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
