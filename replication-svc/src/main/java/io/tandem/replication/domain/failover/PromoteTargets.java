package io.tandem.replication.domain.failover;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.persistence.failover.NewTarget;
import io.tandem.persistence.targets.SiteRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The INVALID_ARGUMENT checks of a promote's new targets (replication.proto, Promote). Messages name the offending
 * entry by its position in the request ({@code targets[1]}), since two entries may look alike.
 */
final class PromoteTargets {
    private PromoteTargets() {}

    /**
     * Each target on its own and the list as a whole: a backend id that is not empty and not {@code default} (the
     * name requests give the primary), a location that is not empty, and no backend id or location twice.
     */
    static void checkEach(List<NewTarget> targets) {
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Integer> locations = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            NewTarget target = targets.get(i);
            if (target.backendId().isBlank()) {
                throw new InvalidArgumentException("targets[" + i + "].backend_id must not be empty.");
            }
            if (FailoverClaims.DEFAULT.equals(target.backendId())) {
                throw new InvalidArgumentException(
                        "targets[" + i + "].backend_id \"default\" is reserved: it names the primary site.");
            }
            if (target.location().isBlank()) {
                throw new InvalidArgumentException("targets[" + i + "].location must not be empty.");
            }
            Integer sameId = ids.putIfAbsent(target.backendId(), i);
            if (sameId != null) {
                throw new InvalidArgumentException("targets[" + sameId + "] and targets[" + i
                        + "] have the same backend_id " + target.backendId() + ".");
            }
            Integer sameLocation = locations.putIfAbsent(target.location(), i);
            if (sameLocation != null) {
                throw new InvalidArgumentException("targets[" + sameLocation + "] and targets[" + i
                        + "] have the same location " + target.location() + ".");
            }
        }
    }

    /**
     * No target may be the site being promoted: it becomes the primary, and a site cannot replicate to itself. Its
     * backend id stays taken by the primary row, so it could not be a target's either.
     */
    static void checkAgainst(List<NewTarget> targets, SiteRow promoted, String scope) {
        for (int i = 0; i < targets.size(); i++) {
            NewTarget target = targets.get(i);
            if (target.backendId().equals(promoted.backendId())) {
                throw new InvalidArgumentException("targets[" + i + "].backend_id " + target.backendId()
                        + " is the backend id of the site being promoted, which becomes the primary of " + scope
                        + ".");
            }
            if (target.location().equals(promoted.location())) {
                throw new InvalidArgumentException("targets[" + i + "].location " + target.location()
                        + " is the location of the site being promoted, which becomes the primary of " + scope
                        + ".");
            }
        }
    }
}
