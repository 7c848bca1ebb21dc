package io.tandem.membership;

import java.time.Instant;
import java.util.Objects;

/**
 * What a non-volume service publishes under {@code services/<binary>/<host>}, as JSON {@code {binary, host,
 * grpc_address, started_at}}, so that {@code os-services} can say up or down for it.
 *
 * @param binary the stored binary name ({@code scheduler}, {@code replication}, {@code api}, see {@code ServiceBinary})
 * @param host the service's host name
 * @param grpcAddress where it listens, {@code host:port}
 * @param startedAt when this process started
 */
public record ServiceInfo(String binary, String host, String grpcAddress, Instant startedAt) {
    public ServiceInfo {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(grpcAddress, "grpcAddress");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
