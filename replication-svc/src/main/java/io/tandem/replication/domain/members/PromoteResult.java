package io.tandem.replication.domain.members;

import io.tandem.persistence.volume.VolumeUpdate;
import java.util.List;

/**
 * What a member's promote (VolumeService.Failover) returned, to be committed.
 *
 * @param activeBackendId the backend the scope serves after the commit; null = the primary (a failback)
 * @param volumeUpdates one update per volume that changes
 */
public record PromoteResult(String activeBackendId, List<VolumeUpdate> volumeUpdates) {
    public PromoteResult {
        volumeUpdates = List.copyOf(volumeUpdates);
    }
}
