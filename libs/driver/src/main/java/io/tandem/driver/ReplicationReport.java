package io.tandem.driver;

import java.util.List;

/**
 * What one replication cycle ({@link VolumeDriver#replicate}) did.
 *
 * @param synced the volumes whose copies are now up to date
 * @param failed the volumes that could not be copied this cycle
 */
public record ReplicationReport(List<VolumeSync> synced, List<VolumeSyncFailure> failed) {
    public ReplicationReport {
        synced = List.copyOf(synced);
        failed = List.copyOf(failed);
    }

    /** A cycle that copied nothing (a driver without replication, or no volume to copy). */
    public static ReplicationReport none() {
        return new ReplicationReport(List.of(), List.of());
    }

    /** Bytes written to copies in this cycle, over all volumes. */
    public long bytesCopied() {
        return synced.stream().mapToLong(VolumeSync::bytesCopied).sum();
    }
}
