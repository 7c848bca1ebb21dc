package io.tandem.runtime.grpc;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.tandem.core.error.UnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per member address ({@code host:port}, as members publish it in etcd), opened on first use and
 * reused: a channel multiplexes every call to its member, and a new one per call would cost a TCP and HTTP/2
 * handshake each time. An idle channel holds no connection, so channels to members that went away cost nothing.
 */
public final class MemberChannels implements AutoCloseable {
    private final Duration idleTimeout;
    private final Duration shutdownTimeout;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param idleTimeout how long an unused channel keeps its connection
     * @param shutdownTimeout how long {@link #close()} lets calls in flight finish
     */
    public MemberChannels(Duration idleTimeout, Duration shutdownTimeout) {
        this.idleTimeout = idleTimeout;
        this.shutdownTimeout = shutdownTimeout;
    }

    /** The channel to {@code address}, opened on first use. */
    public ManagedChannel channel(String address) {
        if (closed) {
            throw new UnavailableException("shutting down; not calling " + address);
        }
        ManagedChannel channel = channels.computeIfAbsent(address, this::open);
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            // Callers only call members etcd shows alive: one that failed before (restarted on the same address)
            // deserves a fresh attempt now, not after a reconnect backoff that grows to minutes.
            channel.resetConnectBackoff();
        }
        return channel;
    }

    /** A member (re)joined at {@code address}: reconnect at once instead of after the backoff. */
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

    /** Lets calls in flight finish for the shutdown timeout, then cuts every channel. */
    @Override
    public void close() {
        closed = true;
        List<ManagedChannel> open = List.copyOf(channels.values());
        channels.clear();
        open.forEach(ManagedChannel::shutdown);
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
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
    }

    private ManagedChannel open(String address) {
        return ManagedChannelBuilder.forTarget(address)
                .usePlaintext()
                .idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }
}
