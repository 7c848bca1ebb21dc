package io.tandem.driver;

import java.util.List;

/**
 * What {@link VolumeDriver#failover} did.
 *
 * @param activeBackendId the site now active; null after a failback to the primary
 * @param volumeUpdates one entry per volume whose state changed
 */
public record FailoverResult(String activeBackendId, List<VolumeUpdate> volumeUpdates) {
    public FailoverResult {
        volumeUpdates = List.copyOf(volumeUpdates);
    }
}
