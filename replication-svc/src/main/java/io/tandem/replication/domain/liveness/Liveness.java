package io.tandem.replication.domain.liveness;

import io.tandem.core.error.TandemException;
import io.tandem.core.error.UnavailableException;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.ServiceInfo;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reads who is alive from etcd, for the clusters and binaries one request needs, all listings in parallel. Each
 * listing is bounded by the membership client's operation timeout; etcd unreachable is UNAVAILABLE.
 */
@Singleton
public final class Liveness {
    private final EtcdMembership membership;

    public Liveness(EtcdMembership membership) {
        this.membership = Objects.requireNonNull(membership, "membership");
    }

    /**
     * Lists the live members of {@code clusters} (null stands for the non-clustered nodes) and the live services of
     * {@code binaries} (stored names, never {@code volume}).
     */
    public LiveView read(Collection<String> clusters, Collection<String> binaries) {
        Map<String, CompletableFuture<Map<String, MemberInfo>>> memberLists = new HashMap<>();
        for (String cluster : new LinkedHashSet<>(clusters)) {
            memberLists.put(LiveView.key(cluster), membersOf(cluster));
        }
        Map<String, CompletableFuture<Set<String>>> serviceLists = new HashMap<>();
        for (String binary : new LinkedHashSet<>(binaries)) {
            serviceLists.put(binary, membership.liveServicesAsync(binary).thenApply(Liveness::hosts));
        }
        List<CompletableFuture<?>> all = new ArrayList<>(memberLists.values());
        all.addAll(serviceLists.values());
        await(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)));
        Instant observedAt = Instant.now();
        Map<String, Map<String, MemberInfo>> members = new HashMap<>();
        memberLists.forEach((cluster, list) -> members.put(cluster, list.join()));
        Map<String, Set<String>> services = new HashMap<>();
        serviceLists.forEach((binary, list) -> services.put(binary, list.join()));
        return new LiveView(observedAt, members, services);
    }

    private CompletableFuture<Map<String, MemberInfo>> membersOf(String cluster) {
        if (cluster != null && (cluster.isBlank() || cluster.indexOf('/') >= 0)) {
            // No node can register under such a name (it is not a valid etcd key segment), so it has no live member;
            // asking etcd would only fail the whole listing.
            return CompletableFuture.completedFuture(Map.of());
        }
        return membership.liveMembersAsync(cluster).thenApply(snapshot -> {
            Map<String, MemberInfo> byHost = new TreeMap<>();
            snapshot.members().forEach(m -> byHost.put(m.host(), m));
            return byHost;
        });
    }

    private static Set<String> hosts(List<ServiceInfo> services) {
        Set<String> hosts = new HashSet<>();
        services.forEach(s -> hosts.add(s.host()));
        return hosts;
    }

    private static void await(CompletableFuture<Void> all) {
        try {
            all.join();
        } catch (CompletionException e) {
            // The membership client already turns every etcd failure into a one-line Tandem exception.
            if (e.getCause() instanceof TandemException tandem) {
                throw tandem;
            }
            throw new UnavailableException("etcd could not be read: " + e.getCause(), e.getCause());
        }
    }
}
