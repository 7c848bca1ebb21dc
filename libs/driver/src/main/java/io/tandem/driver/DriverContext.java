package io.tandem.driver;

import java.util.List;
import java.util.Map;

/**
 * What a driver is built with, read by the node from configuration and the database before {@link
 * VolumeDriver#doSetup}.
 *
 * @param host this node's host, {@code <node>@<backend>}
 * @param backend the backend name
 * @param activeBackendId the site to serve: null for the primary, else a replication target's backend id (from the
 *     cluster row, which is authoritative)
 * @param primaryLocation where the primary site lives (for the shared-filesystem driver: its directory)
 * @param targets the backend's replication targets, in configuration order
 * @param options driver-specific settings ({@code tandem.volume.driver-options.*})
 */
public record DriverContext(
        String host,
        String backend,
        String activeBackendId,
        String primaryLocation,
        List<ReplicationTarget> targets,
        Map<String, String> options) {
    public DriverContext {
        targets = List.copyOf(targets);
        options = Map.copyOf(options);
    }
}
