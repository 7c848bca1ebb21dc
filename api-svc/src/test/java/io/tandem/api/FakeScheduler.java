package io.tandem.api;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
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
import io.tandem.proto.v1.SchedulerServiceGrpc.SchedulerServiceImplBase;

/**
 * A scheduler-svc for api-svc's tests of the volume routes: each of its RPCs records the call and answers what the
 * test scripted (see {@link ScriptedBackend}).
 */
public final class FakeScheduler extends ScriptedBackend {
    /** On a free port. */
    public FakeScheduler() {
        this(0);
    }

    /** On {@code port} (a test that starts the backend after api-svc). */
    public FakeScheduler(int port) {
        super(port);
    }

    @Override
    protected BindableService rpcs() {
        return new Rpcs();
    }

    private final class Rpcs extends SchedulerServiceImplBase {
        @Override
        public void createVolume(CreateVolumeRequest request, StreamObserver<CreateVolumeResponse> observer) {
            respond("CreateVolume", request, observer, CreateVolumeResponse.getDefaultInstance());
        }

        @Override
        public void getVolume(GetVolumeRequest request, StreamObserver<GetVolumeResponse> observer) {
            respond("GetVolume", request, observer, GetVolumeResponse.getDefaultInstance());
        }

        @Override
        public void listVolumes(ListVolumesRequest request, StreamObserver<ListVolumesResponse> observer) {
            respond("ListVolumes", request, observer, ListVolumesResponse.getDefaultInstance());
        }

        @Override
        public void deleteVolume(DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> observer) {
            respond("DeleteVolume", request, observer, DeleteVolumeResponse.getDefaultInstance());
        }

        @Override
        public void extendVolume(ExtendVolumeRequest request, StreamObserver<ExtendVolumeResponse> observer) {
            respond("ExtendVolume", request, observer, ExtendVolumeResponse.getDefaultInstance());
        }
    }
}
