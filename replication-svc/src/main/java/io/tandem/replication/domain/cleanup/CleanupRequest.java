package io.tandem.replication.domain.cleanup;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.replication.domain.Binaries;
import java.util.Set;
import java.util.UUID;

/**
 * The filters of a WorkCleanup (Cinder 3.24), validated and normalised; null = no filter.
 *
 * @param binary stored name, {@code volume} or {@code scheduler}
 * @param up clean services that are up (true) or down (false); false by default, as Cinder
 * @param resourceId canonical lower-case UUID
 * @param resourceType title-cased, {@code Volume}
 */
public record CleanupRequest(
        String clusterName,
        String host,
        Integer serviceId,
        String binary,
        boolean up,
        Boolean disabled,
        String resourceId,
        String resourceType) {
    /** The binaries whose services hold workers rows. */
    static final Set<String> CLEANABLE_BINARIES = Set.of(Binaries.VOLUME, Binaries.SCHEDULER);

    /** Builds the request from what the caller sent, refusing bad values with INVALID_ARGUMENT. */
    public static CleanupRequest of(
            String clusterName,
            String host,
            Integer serviceId,
            String binary,
            Boolean up,
            Boolean disabled,
            String resourceId,
            String resourceType) {
        return new CleanupRequest(
                clusterName,
                host,
                serviceId,
                binary == null ? null : cleanableBinary(binary),
                up != null && up,
                disabled,
                resourceId == null ? null : uuid(resourceId),
                resourceType == null ? null : resourceType(resourceType));
    }

    private static String cleanableBinary(String given) {
        return Binaries.stored(given)
                .filter(CLEANABLE_BINARIES::contains)
                .orElseThrow(() -> new InvalidArgumentException("binary must be volume or scheduler (cinder-volume or"
                        + " cinder-scheduler); got '" + given + "'."));
    }

    private static String uuid(String given) {
        try {
            UUID parsed = UUID.fromString(given);
            // UUID.fromString also accepts short forms such as "1-1-1-1-1"; only the canonical spelling is a volume id.
            if (parsed.toString().equalsIgnoreCase(given)) {
                return parsed.toString();
            }
        } catch (IllegalArgumentException e) {
            // Reported below, with the value.
        }
        throw new InvalidArgumentException("resource_id must be a UUID; got '" + given + "'.");
    }

    private static String resourceType(String given) {
        String titled = titleCase(given);
        // Tandem's only cleanable resource is the volume: there are no snapshots, and the workers table's CHECK
        // admits 'Volume' alone.
        if (!WorkerRows.VOLUME.equals(titled)) {
            throw new InvalidArgumentException("Resource type " + titled + " not valid, must be Volume.");
        }
        return titled;
    }

    /** Python's {@code str.title()}, which Cinder applies: each run of letters capitalised, the rest lower-cased. */
    static String titleCase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean previousIsLetter = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(previousIsLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            previousIsLetter = Character.isLetter(c);
        }
        return out.toString();
    }
}
