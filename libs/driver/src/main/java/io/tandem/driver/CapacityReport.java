package io.tandem.driver;

/** Capacity of the active site in bytes; the scheduler places new volumes by free capacity. */
public record CapacityReport(long totalBytes, long freeBytes) {}
