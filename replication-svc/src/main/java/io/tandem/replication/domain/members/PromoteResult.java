package io.tandem.replication.domain.members;

import io.tandem.persistence.volume.VolumeUpdate;
import java.util.List;

/**
 * What a member's promote step returned, to be committed: VolumeService.Failover for a failover or failback,
 * VolumeService.UpdateHostReplication for a promote.
 *
 * @param activeBackendId the backend the scope serves after the commit; null = the primary (a failback, a promote)
 * @param volumeUpdates one update per volume that changes
 * @param replicationStatus the scope's status after the commit as the member reports it (a promote: {@code enabled},
 *     or {@code disabled} without targets); null for a failover, whose status follows from its target
 */
public record PromoteResult(String activeBackendId, List<VolumeUpdate> volumeUpdates, String replicationStatus) {
    public PromoteResult {
        volumeUpdates = List.copyOf(volumeUpdates);
    }

    /** A failover's or failback's answer. */
    public PromoteResult(String activeBackendId, List<VolumeUpdate> volumeUpdates) {
        this(activeBackendId, volumeUpdates, null);
    }
}
