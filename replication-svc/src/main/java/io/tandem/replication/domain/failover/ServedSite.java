package io.tandem.replication.domain.failover;

import io.tandem.persistence.targets.SiteRow;
import java.util.List;
import java.util.Optional;

/**
 * The site a scope serves, which is the site a promote makes its primary: the primary row of {@code
 * replication_targets} while the active backend is none, else the target row with the active backend's id.
 */
final class ServedSite {
    private ServedSite() {}

    /**
     * The served site among {@code sites}.
     *
     * @param activeBackendId the active backend; null or {@code default} = the primary
     */
    static Optional<SiteRow> among(List<SiteRow> sites, String activeBackendId) {
        boolean primary = activeBackendId == null || FailoverClaims.DEFAULT.equals(activeBackendId);
        return sites.stream()
                .filter(site -> primary
                        ? site.primary()
                        : !site.primary() && site.backendId().equals(activeBackendId))
                .findFirst();
    }

    /** "the primary site" or "the site with backend id b1", for messages. */
    static String describe(String activeBackendId) {
        return activeBackendId == null || FailoverClaims.DEFAULT.equals(activeBackendId)
                ? "the primary site"
                : "the site with backend id " + activeBackendId;
    }
}
