package io.tandem.replication.domain.cleanup;

import java.time.Instant;
import java.util.List;

/**
 * What one cleaner is asked to do: claim and finish the rows of {@code serviceIds}.
 *
 * @param serviceIds the services whose rows to clean (members of the cleaner's cluster, or the cleaner itself)
 * @param resourceType only rows of this type; null = all
 * @param resourceId only the row of this resource; null = all
 * @param until only rows last updated before this instant (the database's clock when the request arrived), so that
 *     operations started after the request are left alone
 * @param expectedEpoch the backend's epoch: a cleaner serving another one refuses, since a stale node must not write
 * @param requestId the operator request this is part of, forwarded to the cleaner
 */
public record CleanupOrder(
        List<Integer> serviceIds,
        String resourceType,
        String resourceId,
        Instant until,
        long expectedEpoch,
        String requestId) {
    public CleanupOrder {
        serviceIds = List.copyOf(serviceIds);
    }
}
