package io.tandem.scheduler.domain.volumes;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.core.error.NotFoundException;
import io.tandem.persistence.volume.VolumeRow;
import java.util.Optional;
import java.util.UUID;

/**
 * Whose volumes a request may see (scheduler.proto, "Project scope"): one project, or every project for an admin's
 * all_tenants. A volume outside the scope is NOT_FOUND, exactly as if it did not exist.
 *
 * @param projectId the caller's project; null when {@code allTenants}
 */
public record Scope(String projectId, boolean allTenants) {

    /** The scope of a request; INVALID_ARGUMENT when it names no project and is not all_tenants. */
    public static Scope of(String projectId, boolean allTenants) {
        if (allTenants) {
            return new Scope(null, true);
        }
        if (projectId == null || projectId.isBlank()) {
            throw new InvalidArgumentException("project_id is required unless all_tenants is set");
        }
        return new Scope(projectId, false);
    }

    /** {@code volume} if this scope may see it; NOT_FOUND otherwise. */
    public VolumeRow check(UUID id, Optional<VolumeRow> volume) {
        return volume.filter(v -> allTenants || projectId.equals(v.projectId())).orElseThrow(() -> notFound(id));
    }

    /** Cinder's message for an unknown volume. */
    public static NotFoundException notFound(UUID id) {
        return new NotFoundException("Volume " + id + " could not be found.");
    }
}
