package io.tandem.replication.domain.cleanup;

import java.util.List;

/**
 * What a WorkCleanup did, each list ordered by service id.
 *
 * @param cleaning services whose rows a live cleaner has claimed (or that held none to claim)
 * @param unavailable services for which no cleaner could be reached
 */
public record CleanupResult(List<ServiceRef> cleaning, List<ServiceRef> unavailable) {
    public CleanupResult {
        cleaning = List.copyOf(cleaning);
        unavailable = List.copyOf(unavailable);
    }
}
