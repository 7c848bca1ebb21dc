package io.tandem.driver;

/**
 * A volume {@link VolumeDriver#replicate} could not copy this cycle (its last sync time stays as it was).
 *
 * @param volumeId the volume
 * @param message why, for operators
 */
public record VolumeSyncFailure(String volumeId, String message) {}
