package io.tandem.api.clusters;

import com.google.protobuf.Timestamp;
import io.tandem.api.http.ApiVersion;
import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.Cluster;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the clusters routes (Cinder's clusters view builder) and their 3.26 replication fields. */
final class ClusterViews {
    private ClusterViews() {}

    /** {@code {"clusters": [...]}}, summaries or details. */
    static Map<String, Object> list(List<Cluster> clusters, boolean detail, ApiVersion version) {
        return Map.of(
                "clusters",
                clusters.stream()
                        .map(c -> detail ? detail(c, version) : summary(c, version))
                        .toList());
    }

    /** {@code {"cluster": {...}}} with the detail fields. */
    static Map<String, Object> show(Cluster cluster, ApiVersion version) {
        return Map.of("cluster", detail(cluster, version));
    }

    /** The answer to enable and disable: the summary plus the disabled reason, as Cinder's update returns. */
    static Map<String, Object> statusChange(Cluster cluster, ApiVersion version) {
        Map<String, Object> view = summary(cluster, version);
        view.put("disabled_reason", RestValues.text(cluster.getDisabledReason()));
        return Map.of("cluster", view);
    }

    static Map<String, Object> summary(Cluster cluster, ApiVersion version) {
        Map<String, Object> view = basics(cluster);
        if (version.atLeast(ApiVersion.REPLICATION_CLUSTER)) {
            view.put("replication_status", RestValues.replicationStatus(cluster.getReplicationStatus()));
        }
        return view;
    }

    static Map<String, Object> detail(Cluster cluster, ApiVersion version) {
        Map<String, Object> view = basics(cluster);
        view.put("num_hosts", cluster.getNumHosts());
        view.put("num_down_hosts", cluster.getNumDownHosts());
        view.put("last_heartbeat", date(cluster.getLastHeartbeat()));
        view.put("created_at", date(cluster.getCreatedAt()));
        view.put("updated_at", date(cluster.getUpdatedAt()));
        view.put("disabled_reason", RestValues.text(cluster.getDisabledReason()));
        if (version.atLeast(ApiVersion.REPLICATION_CLUSTER)) {
            view.put("replication_status", RestValues.replicationStatus(cluster.getReplicationStatus()));
            view.put("frozen", cluster.getFrozen());
            view.put("active_backend_id", RestValues.text(cluster.getActiveBackendId()));
        }
        return view;
    }

    private static Map<String, Object> basics(Cluster cluster) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", cluster.getName());
        view.put("binary", RestValues.restBinary(cluster.getBinary()));
        view.put("state", cluster.getIsUp() ? "up" : "down");
        view.put("status", cluster.getDisabled() ? "disabled" : "enabled");
        return view;
    }

    /** Cinder's clusters view renders a missing date as "" (not null, unlike every other view). */
    private static String date(Timestamp timestamp) {
        String time = RestValues.time(timestamp);
        return time == null ? "" : time;
    }
}
