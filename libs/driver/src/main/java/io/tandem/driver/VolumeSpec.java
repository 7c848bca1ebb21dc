package io.tandem.driver;

/**
 * The volume a driver operation is about.
 *
 * @param id the volume's uuid, also its name on the backend
 * @param sizeGb its size in GiB
 * @param providerLocation where the driver said it lives, or null before creation
 * @param replicated whether its data is replicated to the targets
 */
public record VolumeSpec(String id, int sizeGb, String providerLocation, boolean replicated) {}
