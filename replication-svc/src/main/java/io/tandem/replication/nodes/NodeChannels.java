package io.tandem.replication.nodes;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.tandem.core.error.UnavailableException;
import io.tandem.replication.config.ReplicationConfiguration;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gRPC channel per volume-node address, reused across calls (a channel is expensive to open and multiplexes
 * calls), all closed when the application stops. A channel to a node that went away holds no connection once idle.
 */
@Singleton
public class NodeChannels implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeChannels.class);

    private final ReplicationConfiguration config;
    private final ConcurrentMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public NodeChannels(ReplicationConfiguration config) {
        this.config = config;
    }

    /** The channel to {@code address} ({@code host:port}), opened on first use. */
    public ManagedChannel forAddress(String address) {
        if (closed) {
            throw new UnavailableException("replication-svc is shutting down; not calling " + address);
        }
        ManagedChannel channel = channels.computeIfAbsent(address, this::open);
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            // We only call nodes etcd shows alive: one that failed before (restarting on the same address) deserves a
            // fresh attempt now, not after a reconnect backoff that grows to minutes.
            channel.resetConnectBackoff();
        }
        return channel;
    }

    private ManagedChannel open(String address) {
        return ManagedChannelBuilder.forTarget(address)
                .usePlaintext()
                .idleTimeout(config.getNodeChannelIdleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    /** Lets in-flight calls finish for the configured time, then cuts every channel. */
    @PreDestroy
    @Override
    public void close() {
        closed = true;
        List<ManagedChannel> open = List.copyOf(channels.values());
        channels.clear();
        open.forEach(ManagedChannel::shutdown);
        long deadline =
                System.nanoTime() + config.getNodeChannelShutdownTimeout().toNanos();
        for (ManagedChannel channel : open) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    channel.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                channel.shutdownNow();
            }
        }
        if (!open.isEmpty()) {
            LOG.info("Closed {} channel(s) to volume nodes", open.size());
        }
    }
}
