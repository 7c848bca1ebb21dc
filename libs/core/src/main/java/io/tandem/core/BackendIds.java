package io.tandem.core;

/** Names of replication sites that mean the same thing in every service, every request and every row. */
public final class BackendIds {
    /**
     * How requests and the journal name a backend's primary site (Cinder's {@code failover_host --backend_id default}
     * fails back to it). Never a replication target's id; the database and driver contexts say "the primary" with null.
     */
    public static final String PRIMARY = "default";

    private BackendIds() {}

    /** True for null, blank and {@link #PRIMARY}: the ways a caller names the primary site. */
    public static boolean namesPrimary(String backendId) {
        return backendId == null || backendId.isBlank() || PRIMARY.equals(backendId);
    }
}
