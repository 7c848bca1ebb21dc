package io.tandem.driver.support;

import io.tandem.core.BackendIds;
import io.tandem.driver.DriverContext;
import io.tandem.driver.DriverException;
import io.tandem.driver.InvalidReplicationTargetException;
import io.tandem.driver.ReplicationTarget;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The site a driver serves, chosen from {@link DriverContext#activeBackendId()}: the primary when it is null (or
 * {@code default}, the name operators use for the primary when failing back), else the replication target with that
 * backend id. Shared by the reference drivers so that both refuse an unknown id the same way.
 *
 * @param backendId the target's backend id, or null for the primary
 * @param location where the site lives, as configured (may be null for drivers without locations)
 */
public record ActiveSite(String backendId, String location) {

    /** The name the primary goes by in replication calls and connection info. */
    public static final String PRIMARY_ID = BackendIds.PRIMARY;

    /**
     * Resolves the active site of {@code context}.
     *
     * @throws DriverException naming the id and the known targets when the active backend id is not a target; a node
     *     must not start serving a site it cannot find, or it would write volumes where no other member looks
     */
    public static ActiveSite resolve(DriverContext context) {
        String id = context.activeBackendId();
        return find(context, id)
                .orElseThrow(() -> new DriverException("Active backend id '" + id + "' of backend '" + context.backend()
                        + "' is not one of its replication targets " + targetIds(context)));
    }

    /**
     * The site a replication call names: null, blank or {@code default} is the primary, else the target with that
     * backend id.
     *
     * @throws InvalidReplicationTargetException naming the id and the targets there are
     */
    public static ActiveSite named(DriverContext context, String backendId) {
        return find(context, backendId)
                .orElseThrow(() -> new InvalidReplicationTargetException("'" + backendId
                        + "' is not a replication target of backend '" + context.backend() + "'; its targets are "
                        + targetIds(context) + " and 'default' names the primary"));
    }

    /**
     * The site a failover from {@code active} to {@code secondaryId} goes to: a replication target, or the primary
     * for {@code default} (a failback).
     *
     * @throws InvalidReplicationTargetException when the id is missing or unknown, names the site already active, or
     *     is {@code default} while the primary is active
     */
    public static ActiveSite destination(DriverContext context, ActiveSite active, String secondaryId) {
        if (secondaryId == null || secondaryId.isBlank()) {
            throw new InvalidReplicationTargetException("A failover needs a target: a replication target's backend id,"
                    + " or 'default' to fail back to the primary");
        }
        ActiveSite destination = named(context, secondaryId);
        if (destination.name().equals(active.name())) {
            throw new InvalidReplicationTargetException(
                    destination.primary()
                            ? "Cannot fail back to 'default': the primary site is already active"
                            : "Cannot fail over to '" + secondaryId + "': it is already the active site");
        }
        return destination;
    }

    /** True when {@code backendId} names the primary: null, blank or {@code default}. */
    public static boolean namesPrimary(String backendId) {
        return BackendIds.namesPrimary(backendId);
    }

    private static Optional<ActiveSite> find(DriverContext context, String id) {
        if (namesPrimary(id)) {
            return Optional.of(new ActiveSite(null, context.primaryLocation()));
        }
        return context.targets().stream()
                .filter(target -> id.equals(target.backendId()))
                .findFirst()
                .map(target -> new ActiveSite(target.backendId(), target.location()));
    }

    private static String targetIds(DriverContext context) {
        return context.targets().stream().map(ReplicationTarget::backendId).collect(Collectors.joining(", ", "[", "]"));
    }

    /** True when this is the primary site. */
    public boolean primary() {
        return backendId == null;
    }

    /** The site's name for connection info and messages: the backend id, or {@code default} for the primary. */
    public String name() {
        return primary() ? PRIMARY_ID : backendId;
    }
}
