package io.tandem.replication.domain.targets;

/**
 * One row of {@code replication_targets}: a site of a backend.
 *
 * @param backendId the site's backend id as stored ({@code default} may name the configured primary)
 * @param location where the site is, opaque to the control plane
 * @param primary whether this is the backend's primary site (else a replication target)
 */
public record Site(String backendId, String location, boolean primary) {}
