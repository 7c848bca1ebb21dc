package io.tandem.replication.nodes;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Timestamp;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.tandem.core.error.UnavailableException;
import io.tandem.proto.v1.VolumeServiceCleanupWorkersRequest;
import io.tandem.proto.v1.VolumeServiceCleanupWorkersResponse;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.replication.config.ReplicationConfiguration;
import io.tandem.replication.domain.cleanup.Cleaner;
import io.tandem.replication.domain.cleanup.Cleaners;
import io.tandem.replication.domain.cleanup.CleanupOrder;
import io.tandem.runtime.grpc.MemberChannels;
import io.tandem.runtime.grpc.RequestIds;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Asks volume nodes to clean workers rows through {@code VolumeService.CleanupWorkers}, each call with a deadline. */
@Singleton
public class GrpcCleaners implements Cleaners {
    private final MemberChannels channels;
    private final ReplicationConfiguration config;

    public GrpcCleaners(MemberChannels channels, ReplicationConfiguration config) {
        this.channels = channels;
        this.config = config;
    }

    @Override
    public CompletableFuture<Integer> clean(Cleaner cleaner, CleanupOrder order) {
        Metadata headers = new Metadata();
        headers.put(RequestIds.METADATA_KEY, order.requestId());
        VolumeServiceGrpc.VolumeServiceFutureStub stub = VolumeServiceGrpc.newFutureStub(
                        channels.channel(cleaner.address()))
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(config.getNodeCallTimeout().toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Futures.addCallback(
                stub.cleanupWorkers(request(order)),
                new FutureCallback<VolumeServiceCleanupWorkersResponse>() {
                    @Override
                    public void onSuccess(VolumeServiceCleanupWorkersResponse response) {
                        result.complete(response.getClaimedCount());
                    }

                    @Override
                    public void onFailure(Throwable failure) {
                        Status status = Status.fromThrowable(failure);
                        result.completeExceptionally(new UnavailableException("volume node " + cleaner.host() + " at "
                                + cleaner.address() + " answered CleanupWorkers with " + status.getCode()
                                + (status.getDescription() == null ? "" : ": " + status.getDescription())));
                    }
                },
                MoreExecutors.directExecutor());
        return result;
    }

    private static VolumeServiceCleanupWorkersRequest request(CleanupOrder order) {
        VolumeServiceCleanupWorkersRequest.Builder request = VolumeServiceCleanupWorkersRequest.newBuilder()
                .addAllServiceIds(order.serviceIds())
                .setUntil(Timestamp.newBuilder()
                        .setSeconds(order.until().getEpochSecond())
                        .setNanos(order.until().getNano()))
                .setExpectedEpoch(order.expectedEpoch());
        if (order.resourceType() != null) {
            request.setResourceType(order.resourceType());
        }
        if (order.resourceId() != null) {
            request.setResourceId(order.resourceId());
        }
        return request.build();
    }
}
