package io.tandem.membership;

import java.time.Instant;
import java.util.Objects;

/**
 * A node's capacity report under {@code stats/<cluster>/<host>}, as JSON {@code {total_bytes, free_bytes,
 * updated_at}}. It lives on the node's lease, so a dead node's capacity never attracts new volumes.
 */
public record CapacityStats(long totalBytes, long freeBytes, Instant updatedAt) {
    public CapacityStats {
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (totalBytes < 0 || freeBytes < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + totalBytes + "/" + freeBytes);
        }
    }
}
