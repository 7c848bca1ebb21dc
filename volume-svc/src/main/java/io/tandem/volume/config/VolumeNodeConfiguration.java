package io.tandem.volume.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.tandem.core.error.InvalidArgumentException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A volume node's place in the deployment and its storage driver: {@code tandem.volume.*}, or {@code TANDEM_VOLUME_*}
 * in the environment. Timings are durations ({@code 10s}, {@code 500ms}); none is a literal in code. The
 * replication targets are a list of their own, {@link ReplicationTargetConfiguration}.
 */
@ConfigurationProperties("tandem.volume")
public class VolumeNodeConfiguration {
    /**
     * Cluster this node belongs to, Cinder's {@code <cluster>@<backend>}; nodes with the same cluster manage one backend
     * together (Active/Active). Empty for a node that manages its backend alone.
     */
    private String cluster;

    /** Name of the storage backend the node serves, the part after {@code @} in its host name. */
    private String backend;

    /** Storage driver: {@code shared-filesystem} (sparse files in a site directory) or {@code in-memory} (tests). */
    private String driver = "shared-filesystem";

    /** Driver-specific settings passed to the driver as they are (e.g. the in-memory driver's fault injection). */
    private Map<String, String> driverOptions = new LinkedHashMap<>();

    /** Where the primary site lives; for the shared-filesystem driver the site directory every member sees. */
    private String primaryLocation;

    /**
     * Driver options as {@code key=value} pairs, for the environment ({@code TANDEM_VOLUME_DRIVER_OPTION_PAIRS=
     * capacity-gb=100,delay.create=2s}), where option keys with dots and dashes cannot be spelt unambiguously; merged
     * over {@code driver-options}.
     */
    private List<String> driverOptionPairs = new ArrayList<>();

    /** How often the node republishes its capacity in etcd (it also does after every create, delete and extend). */
    private Duration statsInterval = Duration.ofSeconds(10);

    /**
     * How long after a member's etcd key vanished the others wait for it to register again before they claim its
     * workers rows; a member that came back finishes its own operations.
     */
    private Duration cleanupGrace = Duration.ofSeconds(1);

    /**
     * How often the node sweeps for workers rows nobody finishes: rows of cluster members that are not live (an etcd
     * event missed while this node was away) and its own rows that no call is running.
     */
    private Duration cleanupInterval = Duration.ofSeconds(30);

    /**
     * How old one of this node's own workers rows must be, with no call running on it, before the sweep cleans it up:
     * the scheduler crashed between writing the row and dispatching, or the dispatch never arrived.
     */
    private Duration orphanAge = Duration.ofMinutes(2);

    /**
     * How long a node that shuts down waits for the operations it is running to finish before it leaves the cluster
     * (after which the others would clean them up as if it had died).
     */
    private Duration drainTimeout = Duration.ofSeconds(10);

    /**
     * How often the member holding the backend's replicator key copies what changed in the replicated volumes from the
     * active site to the replication targets (and the others check whether the key is free to take).
     */
    private Duration replicationInterval = Duration.ofSeconds(10);

    /** The cluster, or null when the node is not clustered. */
    public String clusterOrNull() {
        return cluster == null || cluster.isBlank() ? null : cluster.trim();
    }

    /** The backend; a node without one cannot start. */
    public String requireBackend() {
        if (backend == null || backend.isBlank()) {
            throw new InvalidArgumentException("tandem.volume.backend (TANDEM_VOLUME_BACKEND) must be set");
        }
        return backend.trim();
    }

    /**
     * The driver options: {@code driver-options} with {@code driver-option-pairs} merged over them.
     *
     * @throws InvalidArgumentException for a pair without {@code =}
     */
    public Map<String, String> effectiveDriverOptions() {
        Map<String, String> options = new LinkedHashMap<>(driverOptions);
        for (String pair : driverOptionPairs) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new InvalidArgumentException(
                        "tandem.volume.driver-option-pairs: expected key=value, not '" + pair + "'");
            }
            options.put(
                    pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return options;
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

    public String getDriver() {
        return driver;
    }

    public void setDriver(String driver) {
        this.driver = driver;
    }

    public Map<String, String> getDriverOptions() {
        return driverOptions;
    }

    // FLAT keeps option keys with dots whole ("delay.create"), as the drivers expect them.
    public void setDriverOptions(
            @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, String> driverOptions) {
        this.driverOptions = driverOptions == null ? new LinkedHashMap<>() : new LinkedHashMap<>(driverOptions);
    }

    public String getPrimaryLocation() {
        return primaryLocation;
    }

    public void setPrimaryLocation(String primaryLocation) {
        this.primaryLocation = primaryLocation;
    }

    public List<String> getDriverOptionPairs() {
        return driverOptionPairs;
    }

    public void setDriverOptionPairs(List<String> driverOptionPairs) {
        this.driverOptionPairs = driverOptionPairs == null ? new ArrayList<>() : new ArrayList<>(driverOptionPairs);
    }

    public Duration getStatsInterval() {
        return statsInterval;
    }

    public void setStatsInterval(Duration statsInterval) {
        this.statsInterval = statsInterval;
    }

    public Duration getCleanupGrace() {
        return cleanupGrace;
    }

    public void setCleanupGrace(Duration cleanupGrace) {
        this.cleanupGrace = cleanupGrace;
    }

    public Duration getCleanupInterval() {
        return cleanupInterval;
    }

    public void setCleanupInterval(Duration cleanupInterval) {
        this.cleanupInterval = cleanupInterval;
    }

    public Duration getOrphanAge() {
        return orphanAge;
    }

    public void setOrphanAge(Duration orphanAge) {
        this.orphanAge = orphanAge;
    }

    public Duration getReplicationInterval() {
        return replicationInterval;
    }

    public void setReplicationInterval(Duration replicationInterval) {
        this.replicationInterval = replicationInterval;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }
}
