package io.tandem.membership;

import io.tandem.core.error.InvalidArgumentException;
import java.util.Objects;

/**
 * The etcd key layout of ARCHITECTURE.md ("etcd layout"), under a configurable prefix. Every key Tandem reads or
 * writes in etcd is built here, so the layout is defined in one place.
 *
 * <pre>
 * {prefix}/members/{cluster}/{host}     member value, on the node's lease ({cluster} = "_" when not clustered)
 * {prefix}/services/{binary}/{host}     service value, on the service's lease
 * {prefix}/stats/{cluster}/{host}       capacity stats, on the node's lease
 * {prefix}/epochs/{scope}               epoch record of a cluster or a non-clustered host (no lease: durable)
 * {prefix}/replicator/{scope}           the member running replication copies for that backend
 * {prefix}/updating/{scope}             the member running updateHostReplication at start, on a lease of its own
 * </pre>
 *
 * <p>Segments must not contain {@code /}: a host named {@code a/b} would otherwise be listed as a member of another
 * cluster. Listing prefixes end with {@code /} so that cluster {@code c1} never lists the members of {@code c10}.
 */
public final class EtcdKeys {
    /** The cluster segment of a node that belongs to no cluster. */
    public static final String NO_CLUSTER = "_";

    private final String prefix;

    public EtcdKeys(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    public String prefix() {
        return prefix;
    }

    /** Member key of {@code host}; {@code cluster} may be null (or {@link #NO_CLUSTER}) for a non-clustered node. */
    public String member(String cluster, String host) {
        return membersOf(cluster) + segment("host", host);
    }

    /** Prefix under which all members of {@code cluster} live, ending with {@code /}. */
    public String membersOf(String cluster) {
        return prefix + "/members/" + clusterSegment(cluster) + "/";
    }

    public String service(String binary, String host) {
        return servicesOf(binary) + segment("host", host);
    }

    public String servicesOf(String binary) {
        return prefix + "/services/" + segment("binary", binary) + "/";
    }

    public String stats(String cluster, String host) {
        return statsOf(cluster) + segment("host", host);
    }

    public String statsOf(String cluster) {
        return prefix + "/stats/" + clusterSegment(cluster) + "/";
    }

    /** Epoch key of a cluster, or of a non-clustered host. */
    public String epoch(String scope) {
        return prefix + "/epochs/" + segment("scope", scope);
    }

    /** Replicator key of a cluster, or of a non-clustered host. */
    public String replicator(String scope) {
        return prefix + "/replicator/" + segment("scope", scope);
    }

    /** Start-up update claim of a cluster, or of a non-clustered host. */
    public String updating(String scope) {
        return prefix + "/updating/" + segment("scope", scope);
    }

    /** The cluster segment: the cluster name, or {@link #NO_CLUSTER} for null. */
    public static String clusterSegment(String cluster) {
        return cluster == null ? NO_CLUSTER : segment("cluster", cluster);
    }

    /** The last segment of a key (the host of a member, service or stats key). */
    static String lastSegment(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static String segment(String what, String value) {
        if (value == null || value.isBlank() || value.indexOf('/') >= 0) {
            throw new InvalidArgumentException(what + " must be non-blank and contain no '/': " + value);
        }
        return value;
    }
}
