package io.tandem.manage.reset;

/**
 * A parsed {@code db reset-active-backend}: exactly one of {@code cluster} and {@code backendHost}, the values to set,
 * and whether only to show them.
 *
 * @param activeBackendId the backend id to record as active; null means none (the primary)
 */
public record ResetRequest(
        String cluster, String backendHost, String replicationStatus, String activeBackendId, boolean dryRun) {
    public ResetRequest {
        if ((cluster == null) == (backendHost == null)) {
            throw new IllegalArgumentException("exactly one of cluster and backendHost");
        }
    }
}
