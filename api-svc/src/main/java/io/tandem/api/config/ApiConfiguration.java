package io.tandem.api.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Where api-svc finds the gRPC services it transcodes to: {@code tandem.api.*}, or {@code TANDEM_API_*} in the
 * environment (e.g. {@code TANDEM_API_REPLICATION_ADDRESS=replication:50052}, {@code TANDEM_API_CALL_TIMEOUT=10s}).
 */
@ConfigurationProperties("tandem.api")
public class ApiConfiguration {
    /** {@code host:port} of scheduler-svc (volumes). */
    private String schedulerAddress = "127.0.0.1:50051";

    /** {@code host:port} of replication-svc (services, clusters, failover, freeze/thaw, workers, the journal). */
    private String replicationAddress = "127.0.0.1:50052";

    /**
     * Deadline of every gRPC call api-svc makes. A backend that does not answer within it is reported as unavailable
     * (503) instead of holding the HTTP request open.
     */
    private Duration callTimeout = Duration.ofSeconds(30);

    public String getSchedulerAddress() {
        return schedulerAddress;
    }

    public void setSchedulerAddress(String schedulerAddress) {
        this.schedulerAddress = schedulerAddress;
    }

    public String getReplicationAddress() {
        return replicationAddress;
    }

    public void setReplicationAddress(String replicationAddress) {
        this.replicationAddress = replicationAddress;
    }

    public Duration getCallTimeout() {
        return callTimeout;
    }

    public void setCallTimeout(Duration callTimeout) {
        this.callTimeout = callTimeout;
    }
}
