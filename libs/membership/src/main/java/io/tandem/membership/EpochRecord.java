package io.tandem.membership;

/**
 * The value of {@code epochs/<scope>}, as JSON {@code {epoch, active_backend_id}}: written after the database commit
 * of a failover, failback or promote, and watched by the members so that they converge on the new site.
 *
 * @param epoch the cluster (or non-clustered host) epoch; only ever moves forward
 * @param activeBackendId the backend that is active from this epoch on; null means the primary ({@code default})
 */
public record EpochRecord(long epoch, String activeBackendId) {
    public EpochRecord {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative: " + epoch);
        }
    }
}
