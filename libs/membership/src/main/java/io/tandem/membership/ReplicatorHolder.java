package io.tandem.membership;

import java.time.Instant;
import java.util.Objects;

/**
 * The value of {@code replicator/<scope>}, as JSON {@code {host, lease_id, acquired_at}}: the member that runs the
 * replication copies of a backend. The key lives on that member's lease, so it vanishes when the member dies or
 * stops and another member can take it.
 *
 * @param host the holder's host, {@code <node>@<backend>}
 * @param leaseId the lease the key is attached to (the holder's registration); what decides who holds it
 * @param acquiredAt when the holder created the key
 */
public record ReplicatorHolder(String host, long leaseId, Instant acquiredAt) {
    public ReplicatorHolder {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(acquiredAt, "acquiredAt");
    }

    /** True when the key is attached to {@code registration}'s lease. */
    public boolean heldBy(Registration registration) {
        return registration.leaseId() == leaseId;
    }
}
