package io.tandem.driver;

/** Where a created volume lives on the backend; stored as {@code volumes.provider_location}. */
public record VolumeLocation(String providerLocation) {}
