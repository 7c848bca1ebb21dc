package io.tandem.replication.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/** replication-svc's own settings: {@code tandem.replication.*}, or {@code TANDEM_REPLICATION_*} in the environment. */
@ConfigurationProperties("tandem.replication")
public class ReplicationConfiguration {
    /** Deadline of one call to a volume node (e.g. CleanupWorkers); a node that has not answered by then is skipped. */
    private Duration nodeCallTimeout = Duration.ofSeconds(10);

    /** How long a channel to a volume node may sit unused before it drops its connection (reopened on next use). */
    private Duration nodeChannelIdleTimeout = Duration.ofMinutes(5);

    /** At shutdown, how long in-flight calls to volume nodes may finish before their channels are cut. */
    private Duration nodeChannelShutdownTimeout = Duration.ofSeconds(5);

    public Duration getNodeCallTimeout() {
        return nodeCallTimeout;
    }

    public void setNodeCallTimeout(Duration nodeCallTimeout) {
        this.nodeCallTimeout = nodeCallTimeout;
    }

    public Duration getNodeChannelIdleTimeout() {
        return nodeChannelIdleTimeout;
    }

    public void setNodeChannelIdleTimeout(Duration nodeChannelIdleTimeout) {
        this.nodeChannelIdleTimeout = nodeChannelIdleTimeout;
    }

    public Duration getNodeChannelShutdownTimeout() {
        return nodeChannelShutdownTimeout;
    }

    public void setNodeChannelShutdownTimeout(Duration nodeChannelShutdownTimeout) {
        this.nodeChannelShutdownTimeout = nodeChannelShutdownTimeout;
    }
}
