package io.tandem.scheduler.domain.dispatch;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.proto.v1.VolumeServiceGrpc.VolumeServiceFutureStub;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One gRPC channel per member address, made on first use and kept: a channel multiplexes every call to its member,
 * and a new one per operation would cost a TCP and HTTP/2 handshake each time.
 */
public final class NodeChannels implements AutoCloseable {
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /** An async stub on the channel to {@code address} ({@code host:port}); no deadline set yet. */
    public VolumeServiceFutureStub stub(String address) {
        ManagedChannel channel = channels.computeIfAbsent(
                address, a -> ManagedChannelBuilder.forTarget(a).usePlaintext().build());
        return VolumeServiceGrpc.newFutureStub(channel);
    }

    /**
     * A member (re)joined at {@code address}: a channel that failed to connect while it was down sits in reconnect
     * backoff for up to minutes, so reconnect now.
     */
    public void reconnect(String address) {
        ManagedChannel channel = channels.get(address);
        if (channel != null) {
            channel.resetConnectBackoff();
        }
    }

    /** The member at {@code address} left: close its channel once the calls on it have ended. */
    public void drop(String address) {
        ManagedChannel channel = channels.remove(address);
        if (channel != null) {
            channel.shutdown();
        }
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
