package io.tandem.volume.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.tandem.core.error.InvalidArgumentException;

/** A volume node's place in the deployment: {@code tandem.volume.*}, or {@code TANDEM_VOLUME_*} in the environment. */
@ConfigurationProperties("tandem.volume")
public class VolumeNodeConfiguration {
    /**
     * Cluster this node belongs to, Cinder's {@code <cluster>@<backend>}; nodes with the same cluster manage one backend
     * together (Active/Active). Empty for a node that manages its backend alone.
     */
    private String cluster;

    /** Name of the storage backend the node serves, the part after {@code @} in its host name. */
    private String backend;

    /** The cluster, or null when the node is not clustered. */
    public String clusterOrNull() {
        return cluster == null || cluster.isBlank() ? null : cluster;
    }

    /** The backend; a node without one cannot start. */
    public String requireBackend() {
        if (backend == null || backend.isBlank()) {
            throw new InvalidArgumentException("tandem.volume.backend (TANDEM_VOLUME_BACKEND) must be set");
        }
        return backend;
    }

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public String getBackend() {
        return backend;
    }

    public void setBackend(String backend) {
        this.backend = backend;
    }
}
