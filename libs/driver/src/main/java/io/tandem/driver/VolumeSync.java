package io.tandem.driver;

import java.time.Instant;

/**
 * One volume brought up to date on every replication target by {@link VolumeDriver#replicate}.
 *
 * @param volumeId the volume
 * @param bytesCopied bytes written to its copies (zero for a volume that did not change)
 * @param syncedAt when its copies held the active site's data (recorded as {@code volumes.last_sync_at})
 */
public record VolumeSync(String volumeId, long bytesCopied, Instant syncedAt) {}
