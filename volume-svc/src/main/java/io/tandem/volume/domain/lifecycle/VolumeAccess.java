package io.tandem.volume.domain.lifecycle;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.driver.VolumeSpec;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.volume.domain.node.NodeIdentity;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Checks common to every call about one volume: the id is a UUID, and the volume is this node's to manage. */
public final class VolumeAccess {
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);
    // A volume's data is replicated while it is enabled (before a failover) or failed-over (until the failback).
    private static final Set<String> REPLICATED = Set.of("enabled", "failed-over");

    private VolumeAccess() {}

    /**
     * Parses a volume id.
     *
     * @throws InvalidArgumentException when it is not a canonical UUID
     */
    public static UUID parseId(String volumeId) {
        if (volumeId == null || !CANONICAL_UUID.matcher(volumeId).matches()) {
            throw new InvalidArgumentException("volume_id '" + volumeId + "' is not a UUID");
        }
        return UUID.fromString(volumeId.toLowerCase(Locale.ROOT));
    }

    /**
     * Refuses a volume of another cluster (or, for a non-clustered node, of another host): running its driver here
     * would touch a backend this node does not manage.
     *
     * @throws InvalidArgumentException naming where the volume belongs
     */
    public static void checkBelongs(NodeIdentity node, VolumeRow volume) {
        boolean ours = node.clustered()
                ? node.cluster().equals(volume.clusterName())
                : volume.clusterName() == null && Objects.equals(node.host(), volume.host());
        if (!ours) {
            String owner = volume.clusterName() != null
                    ? "cluster " + volume.clusterName()
                    : volume.host() != null ? "host " + volume.host() : "no backend (never placed)";
            throw new InvalidArgumentException(
                    "Volume " + volume.id() + " belongs to " + owner + ", not to " + node.describe());
        }
    }

    /** What the driver is told about a volume. */
    public static VolumeSpec spec(VolumeRow volume) {
        return new VolumeSpec(
                volume.id().toString(),
                volume.sizeGb(),
                volume.providerLocation(),
                replicated(volume.replicationStatus()));
    }

    /** Whether a volume with this replication status has its data replicated (the driver's {@code replicated}). */
    public static boolean replicated(String replicationStatus) {
        return replicationStatus != null && REPLICATED.contains(replicationStatus);
    }
}
