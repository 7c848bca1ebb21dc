package io.tandem.persistence.volume;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A page of volumes.
 *
 * @param nextMarker the id to pass as the next page's marker; empty on the last page
 */
public record VolumePage(List<VolumeRow> volumes, Optional<UUID> nextMarker) {
    public VolumePage {
        volumes = List.copyOf(volumes);
    }
}
