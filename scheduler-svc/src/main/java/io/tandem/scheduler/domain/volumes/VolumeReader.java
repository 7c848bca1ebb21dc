package io.tandem.scheduler.domain.volumes;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.persistence.volume.VolumePage;
import io.tandem.persistence.volume.VolumeQuery;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.persistence.volume.VolumeRow;
import java.util.UUID;
import javax.sql.DataSource;

/** GetVolume and ListVolumes: reads scoped to a project (or all_tenants), lists paged by keyset. */
public final class VolumeReader {
    private final VolumeRepository volumes;
    private final int defaultLimit;
    private final int maxLimit;

    public VolumeReader(DataSource dataSource, int defaultLimit, int maxLimit) {
        if (defaultLimit < 1 || maxLimit < 1) {
            throw new IllegalArgumentException("list limits must be positive: " + defaultLimit + "/" + maxLimit);
        }
        this.volumes = new VolumeRepository(dataSource);
        this.defaultLimit = Math.min(defaultLimit, maxLimit);
        this.maxLimit = maxLimit;
    }

    /** The volume; NOT_FOUND when it does not exist or is outside {@code scope}. */
    public VolumeRow get(UUID id, Scope scope) {
        return scope.check(id, volumes.find(id));
    }

    /**
     * A page listing request.
     *
     * @param name exact name, or null
     * @param status status as stored, or null
     * @param clusterName exact cluster, or null
     * @param limit requested page size: 0 = the default, above the maximum = the maximum, negative = invalid
     * @param marker last id of the previous page, or null
     */
    public record ListCommand(
            Scope scope,
            String name,
            String status,
            String clusterName,
            int limit,
            UUID marker,
            VolumeQuery.SortKey sortKey,
            boolean ascending) {}

    /** One page; INVALID_ARGUMENT for a negative limit or a marker outside the listed scope. */
    public VolumePage list(ListCommand command) {
        if (command.limit() < 0) {
            throw new InvalidArgumentException("limit must not be negative, was " + command.limit());
        }
        int limit = command.limit() == 0 ? defaultLimit : Math.min(command.limit(), maxLimit);
        return volumes.list(new VolumeQuery(
                command.scope().projectId(),
                command.name(),
                command.status(),
                command.clusterName(),
                command.sortKey(),
                command.ascending(),
                limit,
                command.marker()));
    }
}
