package io.tandem.replication.domain.services;

import io.tandem.core.error.NotFoundException;
import io.tandem.membership.MemberInfo;
import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.targets.ReplicationTargetRepository;
import io.tandem.persistence.targets.SiteRow;
import io.tandem.replication.domain.Binaries;
import io.tandem.replication.domain.DisabledReasons;
import io.tandem.replication.domain.Names;
import io.tandem.replication.domain.inventory.Inventory;
import io.tandem.replication.domain.inventory.ServiceRecord;
import io.tandem.replication.domain.liveness.LiveView;
import io.tandem.replication.domain.liveness.Liveness;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * os-services: listing with up/down from etcd, enable and disable. Unlike Cinder since its 2024 refactor, enable and
 * disable really change {@code services.disabled}; only the service's own row changes (a clustered service's cluster
 * flag is changed through the cluster RPCs).
 */
@Singleton
public class ServiceAdmin {
    private final DataSource dataSource;
    private final Inventory inventory;
    private final Liveness liveness;
    private final ReplicationTargetRepository targets;

    public ServiceAdmin(DataSource dataSource, Liveness liveness) {
        this.dataSource = dataSource;
        this.inventory = new Inventory(dataSource);
        this.liveness = liveness;
        this.targets = new ReplicationTargetRepository(dataSource);
    }

    /**
     * The services matching both filters (null = no filter), by host then binary. {@code binary} may be the stored or
     * the Cinder name; an unknown binary matches nothing.
     */
    public List<ServiceView> list(String host, String binary) {
        String stored = binary == null ? null : Binaries.storedOrAsGiven(binary);
        List<ServiceRecord> records = inventory.services(host, stored);
        if (records.isEmpty()) {
            return List.of();
        }
        LiveView live = liveness.read(clustersOf(records), nonVolumeBinariesOf(records));
        Map<String, List<SiteRow>> sites = targets.byScope(standaloneVolumeHosts(records));
        List<ServiceView> views = new ArrayList<>(records.size());
        for (ServiceRecord record : records) {
            views.add(view(record, live, sites));
        }
        return views;
    }

    /** Enables the service and clears its disabled reason; returns it after the change. */
    public ServiceView enable(String host, String binary) {
        return change(host, binary, false, null);
    }

    /** Disables the service with {@code reason} (empty = none); returns it after the change. */
    public ServiceView disable(String host, String binary, String reason) {
        return change(host, binary, true, DisabledReasons.check(reason));
    }

    private ServiceView change(String host, String binary, boolean disabled, String reason) {
        Names.required("host", host);
        Names.required("binary", binary);
        String stored = Binaries.stored(binary).orElseThrow(() -> notFound(host, binary));
        // One conditional update on (host, binary): its row count, not an earlier read, says whether the service
        // exists, so a service deleted meanwhile is NOT_FOUND rather than a silent no-op.
        int changed = ConditionalUpdate.table("services")
                .eq("host", host)
                .eq("binary_name", stored)
                .set("disabled", disabled)
                .set("disabled_reason", reason)
                .execute(dataSource);
        if (changed == 0) {
            throw notFound(host, binary);
        }
        return list(host, stored).stream().findFirst().orElseThrow(() -> notFound(host, binary));
    }

    private static ServiceView view(ServiceRecord record, LiveView live, Map<String, List<SiteRow>> sites) {
        var row = record.row();
        boolean volume = Binaries.VOLUME.equals(row.binary());
        Optional<MemberInfo> member = volume ? live.member(row.clusterName(), row.host()) : Optional.empty();
        boolean up = volume ? member.isPresent() : live.isUp(row);
        List<SiteRow> own = volume && !record.clustered() ? sites.getOrDefault(row.host(), List.of()) : List.of();
        return new ServiceView(record, up, member.map(MemberInfo::epoch).orElse(0L), own);
    }

    private static List<String> clustersOf(List<ServiceRecord> records) {
        Set<String> clusters = new HashSet<>();
        boolean standalone = false;
        for (ServiceRecord record : records) {
            if (Binaries.VOLUME.equals(record.row().binary())) {
                if (record.clustered()) {
                    clusters.add(record.row().clusterName());
                } else {
                    standalone = true;
                }
            }
        }
        List<String> result = new ArrayList<>(clusters);
        if (standalone) {
            result.add(null);
        }
        return result;
    }

    private static Set<String> nonVolumeBinariesOf(List<ServiceRecord> records) {
        Set<String> binaries = new HashSet<>();
        records.stream()
                .map(r -> r.row().binary())
                .filter(b -> !Binaries.VOLUME.equals(b))
                .forEach(binaries::add);
        return binaries;
    }

    private static List<String> standaloneVolumeHosts(List<ServiceRecord> records) {
        return records.stream()
                .filter(r -> Binaries.VOLUME.equals(r.row().binary()) && !r.clustered())
                .map(r -> r.row().host())
                .toList();
    }

    private static NotFoundException notFound(String host, String binary) {
        // Cinder's ServiceNotFound wording, with the binary where Cinder puts a service id.
        return new NotFoundException("Service " + binary + " could not be found on host " + host + ".");
    }
}
