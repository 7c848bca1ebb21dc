package io.tandem.runtime.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.List;

/** etcd settings: {@code tandem.etcd.*}, or {@code TANDEM_ETCD_*} in the environment. */
@ConfigurationProperties("tandem.etcd")
public class EtcdConfiguration {
    /** Client URLs of the etcd cluster (comma-separated in the environment). */
    private List<String> endpoints = List.of("http://127.0.0.1:23790");
    /** Prefix of every Tandem key, so that several deployments can share one etcd. */
    private String prefix = "/tandem";
    /** TTL of this process's lease: how long after a crash the others notice it is gone. */
    private Duration leaseTtl = Duration.ofSeconds(5);
    /** Deadline of one etcd operation (a read, a put, a grant). */
    private Duration operationTimeout = Duration.ofSeconds(5);
    /** How long start-up keeps retrying an unreachable etcd before the process exits non-zero. */
    private Duration startupTimeout = Duration.ofSeconds(30);

    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    public String getPrefix() {
        return prefix;
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    public Duration getLeaseTtl() {
        return leaseTtl;
    }

    public void setLeaseTtl(Duration leaseTtl) {
        this.leaseTtl = leaseTtl;
    }

    public Duration getOperationTimeout() {
        return operationTimeout;
    }

    public void setOperationTimeout(Duration operationTimeout) {
        this.operationTimeout = operationTimeout;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }
}
