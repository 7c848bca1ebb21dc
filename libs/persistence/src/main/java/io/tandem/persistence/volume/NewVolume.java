package io.tandem.persistence.volume;

import java.util.Objects;
import java.util.UUID;

/**
 * A volume the scheduler has placed, written in {@code creating} together with its workers row.
 *
 * @param clusterName the chosen cluster, or null for a non-clustered backend
 * @param host the member the work is handed to
 * @param replicationStatus {@code enabled} when the backend has targets, else {@code not-capable} or {@code disabled}
 */
public record NewVolume(
        UUID id,
        String projectId,
        String userId,
        String name,
        String description,
        int sizeGb,
        String clusterName,
        String host,
        String replicationStatus) {
    public NewVolume {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(replicationStatus, "replicationStatus");
        if (sizeGb < 1) {
            throw new IllegalArgumentException("sizeGb must be at least 1, was " + sizeGb);
        }
    }
}
