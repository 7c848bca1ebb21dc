package io.tandem.api.grpc;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC service api-svc calls, with the one channel every request shares (a channel multiplexes calls; one per
 * request would pay a TCP and HTTP/2 handshake each time). Nothing connects until the first call, so api-svc starts
 * while its backends are still down and answers 503 until they are up.
 */
final class Backend implements AutoCloseable {
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(1);
    private final String name;
    private final String address;
    private final ManagedChannel channel;

    Backend(String name, String address) {
        this.name = name;
        this.address = address;
        this.channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
    }

    /** The channel for a new call. */
    ManagedChannel channel() {
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            // After a failure the channel waits out a reconnect backoff that grows to minutes and fails every call
            // meanwhile: a request now deserves a fresh attempt, the backend may be back. The reset takes effect
            // asynchronously; waiting (briefly) for the state to move keeps this call from failing on the old state.
            CountDownLatch moved = new CountDownLatch(1);
            channel.notifyWhenStateChanged(ConnectivityState.TRANSIENT_FAILURE, moved::countDown);
            channel.resetConnectBackoff();
            try {
                moved.await(RECONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return channel;
    }

    /** "replication-svc at 127.0.0.1:50052", for messages. */
    String describe() {
        return name + " at " + address;
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.shutdownNow();
        }
    }
}
