package io.tandem.driver.fs.replication;

import java.time.Instant;

/**
 * What one sync (of a volume, or of several volumes of a site) did.
 *
 * @param bytesCopied bytes written to the target copy (zero for an idle volume)
 * @param extentsCopied extents written to the target copy
 * @param extentsScanned extents of the source that were read and checksummed
 * @param syncedAt when the sync finished; the target holds the source's state as of the sync's start or later
 */
public record SyncResult(long bytesCopied, int extentsCopied, int extentsScanned, Instant syncedAt) {
    /** This result plus {@code other}, stamped with the later of the two times (used to sum the volumes of a site). */
    SyncResult plus(SyncResult other) {
        Instant later = syncedAt.isAfter(other.syncedAt) ? syncedAt : other.syncedAt;
        return new SyncResult(
                bytesCopied + other.bytesCopied,
                extentsCopied + other.extentsCopied,
                extentsScanned + other.extentsScanned,
                later);
    }
}
