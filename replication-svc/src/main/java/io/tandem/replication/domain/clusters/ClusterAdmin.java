package io.tandem.replication.domain.clusters;

import io.tandem.core.error.NotFoundException;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.targets.ReplicationTargetRepository;
import io.tandem.persistence.targets.SiteRow;
import io.tandem.replication.domain.Binaries;
import io.tandem.replication.domain.DisabledReasons;
import io.tandem.replication.domain.Names;
import io.tandem.replication.domain.inventory.Inventory;
import io.tandem.replication.domain.liveness.LiveView;
import io.tandem.replication.domain.liveness.Liveness;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Cinder's clusters API: listing with membership counts and liveness, show, enable and disable. Enable and disable
 * change only the cluster row, as Cinder does: its flag governs scheduling for every member.
 */
@Singleton
public class ClusterAdmin {
    private final DataSource dataSource;
    private final ClusterRepository clusters;
    private final Inventory inventory;
    private final Liveness liveness;
    private final ReplicationTargetRepository targets;

    public ClusterAdmin(DataSource dataSource, Liveness liveness) {
        this.dataSource = dataSource;
        this.clusters = new ClusterRepository(dataSource);
        this.inventory = new Inventory(dataSource);
        this.liveness = liveness;
        this.targets = new ReplicationTargetRepository(dataSource);
    }

    /** The clusters matching every filter, by name then binary. */
    public List<ClusterView> list(ClusterFilter filter) {
        List<ClusterRow> rows =
                clusters.list().stream().filter(filter::matchesRow).toList();
        return views(rows).stream().filter(filter::matchesMembership).toList();
    }

    /** One cluster; {@code binary} empty or null means {@code volume}. */
    public ClusterView get(String name, String binary) {
        Names.required("name", name);
        String stored = storedBinary(binary);
        ClusterRow row = clusters.find(name, stored).orElseThrow(() -> notFound(name));
        return views(List.of(row)).get(0);
    }

    /** Enables the cluster and clears its disabled reason; returns it after the change. */
    public ClusterView enable(String name, String binary) {
        return change(name, binary, false, null);
    }

    /** Disables the cluster with {@code reason} (empty = none); returns it after the change. */
    public ClusterView disable(String name, String binary, String reason) {
        return change(name, binary, true, DisabledReasons.check(reason));
    }

    private ClusterView change(String name, String binary, boolean disabled, String reason) {
        Names.required("name", name);
        String stored = storedBinary(binary);
        // The row count of one conditional update decides whether the cluster exists; RETURNING gives the row as
        // this update left it, so the answer never shows a concurrent writer's state as ours.
        List<ClusterRow> changed = ConditionalUpdate.table("clusters")
                .eq("name", name)
                .eq("binary_name", stored)
                .set("disabled", disabled)
                .set("disabled_reason", reason)
                .executeReturning(dataSource, ClusterRow::from);
        if (changed.isEmpty()) {
            throw notFound(name);
        }
        return views(changed).get(0);
    }

    private List<ClusterView> views(List<ClusterRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<String, List<ServiceRow>> members = membersByCluster(inventory.clusterMembers());
        LiveView live = liveness.read(rows.stream().map(ClusterRow::name).toList(), Set.of());
        Map<String, List<SiteRow>> sites =
                targets.byScope(rows.stream().map(ClusterRow::name).toList());
        List<ClusterView> views = new ArrayList<>(rows.size());
        for (ClusterRow row : rows) {
            List<ServiceRow> own = members.getOrDefault(key(row.name(), row.binary()), List.of());
            views.add(view(row, own, live, sites.getOrDefault(row.name(), List.of())));
        }
        return views;
    }

    private static ClusterView view(ClusterRow row, List<ServiceRow> members, LiveView live, List<SiteRow> sites) {
        Set<String> liveHosts =
                live.members(row.name()).stream().map(MemberInfo::host).collect(Collectors.toSet());
        int down = (int)
                members.stream().filter(m -> !liveHosts.contains(m.host())).count();
        boolean up = down < members.size();
        Instant lastHeartbeat = up
                ? live.observedAt()
                : members.stream()
                        .map(ServiceRow::updatedAt)
                        .max(Instant::compareTo)
                        .orElse(null);
        return new ClusterView(row, members.size(), down, up, lastHeartbeat, sites);
    }

    private static Map<String, List<ServiceRow>> membersByCluster(List<ServiceRow> rows) {
        Map<String, List<ServiceRow>> byCluster = new HashMap<>();
        for (ServiceRow row : rows) {
            byCluster
                    .computeIfAbsent(key(row.clusterName(), row.binary()), k -> new ArrayList<>())
                    .add(row);
        }
        return byCluster;
    }

    private static String key(String cluster, String binary) {
        // NUL cannot occur in a PostgreSQL text value, so the pair's key is unambiguous.
        return cluster + '\0' + binary;
    }

    private static String storedBinary(String binary) {
        return binary == null || binary.isEmpty() ? Binaries.VOLUME : Binaries.storedOrAsGiven(binary);
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("Cluster " + name + " could not be found.");
    }
}
