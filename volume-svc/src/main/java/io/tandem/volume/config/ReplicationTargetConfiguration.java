package io.tandem.volume.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.tandem.core.BackendIds;
import io.tandem.core.error.InvalidArgumentException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One entry of the list {@code tandem.volume.replication-targets}: a site the backend replicates to (Cinder's
 * replication_device). In YAML a list of {@code {backend-id, location}}; in the environment
 * {@code TANDEM_VOLUME_REPLICATION_TARGETS_<i>__BACKEND_ID} and {@code TANDEM_VOLUME_REPLICATION_TARGETS_<i>__LOCATION}
 * (two underscores after the index: Micronaut's spelling of {@code [i].}).
 */
@EachProperty(value = "tandem.volume.replication-targets", list = true)
public class ReplicationTargetConfiguration {
    /** The backend id that names the primary site in failback requests; never a replication target's id. */
    public static final String PRIMARY_BACKEND_ID = BackendIds.PRIMARY;

    private final int index;

    /** The id operators fail over to; never {@code default}, which names the primary. */
    private String backendId;

    /** Where the target site lives; for the shared-filesystem driver its directory. */
    private String location;

    public ReplicationTargetConfiguration(@Parameter Integer index) {
        this.index = index;
    }

    /**
     * The configured targets in list order, checked: each has a backend id and a location, no id is {@code default}
     * (a target by that name would be ambiguous with the primary) and no id appears twice.
     *
     * @throws InvalidArgumentException naming the offending entry; the node does not start
     */
    public static List<ReplicationTargetConfiguration> checked(List<ReplicationTargetConfiguration> configured) {
        List<ReplicationTargetConfiguration> ordered = configured.stream()
                .sorted(Comparator.comparingInt(ReplicationTargetConfiguration::index))
                .toList();
        Set<String> seen = new HashSet<>();
        for (ReplicationTargetConfiguration target : ordered) {
            String where = "tandem.volume.replication-targets[" + target.index + "]";
            String id = target.backendId == null ? "" : target.backendId.trim();
            if (id.isEmpty()) {
                throw new InvalidArgumentException(where + ".backend-id must be set");
            }
            if (PRIMARY_BACKEND_ID.equals(id)) {
                throw new InvalidArgumentException(where + ": backend id '" + PRIMARY_BACKEND_ID
                        + "' names the primary site and cannot be a replication target");
            }
            if (target.location == null || target.location.isBlank()) {
                throw new InvalidArgumentException(where + ".location must be set for target '" + id + "'");
            }
            if (!seen.add(id)) {
                throw new InvalidArgumentException(where + ": backend id '" + id + "' appears twice");
            }
        }
        return ordered;
    }

    /** Position in the configured list. */
    public int index() {
        return index;
    }

    public String getBackendId() {
        return backendId == null ? null : backendId.trim();
    }

    public void setBackendId(String backendId) {
        this.backendId = backendId;
    }

    public String getLocation() {
        return location;
    }

    public void setLocation(String location) {
        this.location = location;
    }

    @Override
    public String toString() {
        return getBackendId() + "=" + location;
    }
}
