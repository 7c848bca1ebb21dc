package io.tandem.replication.domain.inventory;

/**
 * The replication fields that decide what a backend serves: from the cluster row for a clustered service (it is
 * authoritative; the service rows are copies that a member that was down may not have received), from the service's
 * own row otherwise.
 *
 * @param status replication status as stored, e.g. {@code enabled}, {@code failed-over}
 * @param activeBackendId the backend serving now; null means the primary
 * @param frozen whether management operations are refused
 * @param epoch the backend's epoch: a member serving another one is stale
 */
public record ReplicationState(String status, String activeBackendId, boolean frozen, long epoch) {}
