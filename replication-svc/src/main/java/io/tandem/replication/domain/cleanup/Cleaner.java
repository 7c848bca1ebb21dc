package io.tandem.replication.domain.cleanup;

/**
 * A live volume node that can be asked to clean workers rows.
 *
 * @param host its host name
 * @param address where its VolumeService listens, {@code host:port}, from its member key
 */
public record Cleaner(String host, String address) {}
