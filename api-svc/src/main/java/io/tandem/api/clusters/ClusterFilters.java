package io.tandem.api.clusters;

import io.micronaut.http.HttpParameters;
import io.tandem.api.errors.ApiException;
import io.tandem.api.http.ApiVersion;
import io.tandem.api.views.RestValues;
import io.tandem.proto.v1.ListClustersRequest;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.runtime.proto.StoredValues;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query string of {@code GET /clusters} and {@code /clusters/detail}, checked as Cinder's ClusterController does:
 * only its filter keys (the replication ones from 3.26 on), else 400 {@code Invalid filter keys: ...}; booleans in
 * Cinder's spellings (Tandem: {@code frozen} too, which Cinder forgot to parse).
 */
final class ClusterFilters {
    private static final Set<String> KEYS =
            Set.of("name", "binary", "is_up", "disabled", "num_hosts", "num_down_hosts");
    private static final Set<String> REPLICATION_KEYS = Set.of("replication_status", "frozen", "active_backend_id");

    private ClusterFilters() {}

    static ListClustersRequest parse(HttpParameters parameters, ApiVersion version) {
        boolean replication = version.atLeast(ApiVersion.REPLICATION_CLUSTER);
        Set<String> invalid = new TreeSet<>();
        for (String key : parameters.names()) {
            if (!KEYS.contains(key) && !(replication && REPLICATION_KEYS.contains(key))) {
                invalid.add(key);
            }
        }
        if (!invalid.isEmpty()) {
            throw ApiException.badRequest("Invalid filter keys: " + String.join(", ", invalid));
        }
        ListClustersRequest.Builder filters = ListClustersRequest.newBuilder();
        String name = value(parameters, "name");
        if (name != null) {
            filters.setName(name);
        }
        String binary = value(parameters, "binary");
        if (binary != null) {
            filters.setBinary(RestValues.grpcBinary(binary));
        }
        Boolean isUp = bool(parameters, "is_up");
        if (isUp != null) {
            filters.setIsUp(isUp);
        }
        Boolean disabled = bool(parameters, "disabled");
        if (disabled != null) {
            filters.setDisabled(disabled);
        }
        Integer numHosts = count(parameters, "num_hosts");
        if (numHosts != null) {
            filters.setNumHosts(numHosts);
        }
        Integer numDownHosts = count(parameters, "num_down_hosts");
        if (numDownHosts != null) {
            filters.setNumDownHosts(numDownHosts);
        }
        if (replication) {
            String status = value(parameters, "replication_status");
            if (status != null) {
                filters.setReplicationStatus(replicationStatus(status));
            }
            Boolean frozen = bool(parameters, "frozen");
            if (frozen != null) {
                filters.setFrozen(frozen);
            }
            // An empty value is a filter too: the clusters serving their primary site.
            String activeBackendId = value(parameters, "active_backend_id");
            if (activeBackendId != null) {
                filters.setActiveBackendId(activeBackendId);
            }
        }
        return filters.build();
    }

    /** The value of {@code key}, or null when absent; when repeated, the last one counts (as in Cinder's dict). */
    private static String value(HttpParameters parameters, String key) {
        List<String> values = parameters.getAll(key);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static Boolean bool(HttpParameters parameters, String key) {
        String value = value(parameters, key);
        if (value == null) {
            return null;
        }
        Boolean parsed = RestValues.booleanString(value);
        if (parsed == null) {
            throw ApiException.badRequest("Invalid value '" + value + "' for " + key + ": must be a boolean.");
        }
        return parsed;
    }

    private static Integer count(HttpParameters parameters, String key) {
        String value = value(parameters, key);
        if (value == null) {
            return null;
        }
        try {
            int count = Integer.parseInt(value);
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // Not an integer, or beyond an int: the same answer as a negative count.
        }
        throw ApiException.badRequest("Invalid value '" + value + "' for " + key + ": must be a non-negative integer.");
    }

    private static ReplicationStatus replicationStatus(String value) {
        ReplicationStatus status = StoredValues.replicationStatus(value);
        if (status == ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED) {
            throw ApiException.badRequest("Invalid value '" + value + "' for replication_status: must be one of "
                    + "enabled, disabled, not-capable, failing-over, failover-error, failed-over, error, enabling, "
                    + "disabling, updating.");
        }
        return status;
    }
}
