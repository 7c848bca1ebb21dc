package io.tandem.replication.domain.liveness;

import io.tandem.membership.MemberInfo;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.replication.domain.Binaries;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who was alive in etcd at one moment: the member keys of the clusters read (volume nodes) and the service keys of the
 * binaries read (everything else). A key exists exactly while its process holds its lease, so presence is liveness.
 *
 * @param observedAt when the listing was taken (this process's clock)
 * @param members live members by cluster name; the key {@link #NO_CLUSTER} holds the non-clustered nodes
 * @param services hosts with a live service key, by stored binary
 */
public record LiveView(
        Instant observedAt, Map<String, Map<String, MemberInfo>> members, Map<String, Set<String>> services) {
    /** Key of {@link #members} for nodes that belong to no cluster (a Java map key cannot be null). */
    public static final String NO_CLUSTER = "";

    public LiveView {
        members = Map.copyOf(members);
        services = Map.copyOf(services);
    }

    /**
     * Whether the service of {@code row} is up: a volume node when its member key exists under its cluster (or under
     * {@code _} when not clustered), any other service when its {@code services/<binary>/<host>} key exists.
     */
    public boolean isUp(ServiceRow row) {
        if (Binaries.VOLUME.equals(row.binary())) {
            return member(row.clusterName(), row.host()).isPresent();
        }
        return services.getOrDefault(row.binary(), Set.of()).contains(row.host());
    }

    /** The live member {@code host} of {@code cluster} (null: not clustered), if its key exists. */
    public Optional<MemberInfo> member(String cluster, String host) {
        return Optional.ofNullable(members.getOrDefault(key(cluster), Map.of()).get(host));
    }

    /** The live members of {@code cluster}, by host. */
    public List<MemberInfo> members(String cluster) {
        return List.copyOf(members.getOrDefault(key(cluster), Map.of()).values());
    }

    static String key(String cluster) {
        return cluster == null ? NO_CLUSTER : cluster;
    }
}
