package io.tandem.runtime;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;

/**
 * A command-line gRPC health check for scripts and container health checks: {@code HealthProbe host:port [service]}
 * prints the serving status and exits 0 only when it is SERVING.
 */
public final class HealthProbe {
    private static final long DEADLINE_MS = 2_000;

    private HealthProbe() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: HealthProbe host:port [service]");
            System.exit(2);
        }
        ManagedChannel channel =
                ManagedChannelBuilder.forTarget(args[0]).usePlaintext().build();
        int exit;
        try {
            HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder()
                            .setService(args.length == 2 ? args[1] : "")
                            .build());
            System.out.println(response.getStatus());
            exit = response.getStatus() == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
        } catch (StatusRuntimeException e) {
            System.out.println(args[0] + ": " + e.getStatus().getCode());
            exit = 1;
        } finally {
            channel.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
        }
        System.exit(exit);
    }
}
