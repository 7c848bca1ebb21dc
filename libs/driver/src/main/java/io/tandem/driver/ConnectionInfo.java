package io.tandem.driver;

import java.util.Map;

/**
 * How a consumer attaches a volume, as Cinder's connection info: a transport type and its parameters.
 *
 * @param driverVolumeType e.g. {@code file} for the shared-filesystem driver (the data is the file path)
 * @param data transport parameters
 */
public record ConnectionInfo(String driverVolumeType, Map<String, String> data) {
    public ConnectionInfo {
        data = Map.copyOf(data);
    }
}
