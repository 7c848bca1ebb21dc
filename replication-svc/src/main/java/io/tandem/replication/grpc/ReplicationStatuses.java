package io.tandem.replication.grpc;

import io.tandem.proto.v1.ReplicationStatus;
import java.util.Locale;

/**
 * Replication status between its stored spelling (Cinder's, {@code failed-over}) and the proto enum
 * ({@code REPLICATION_STATUS_FAILED_OVER}). The enum names are the stored values upper-cased with {@code -} as
 * {@code _}, so one rule maps both ways and a value added to both stays mapped.
 */
final class ReplicationStatuses {
    private static final String PREFIX = "REPLICATION_STATUS_";

    private ReplicationStatuses() {}

    /** The enum of a stored value; null or unknown is UNSPECIFIED. */
    static ReplicationStatus toProto(String stored) {
        if (stored == null) {
            return ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED;
        }
        try {
            return ReplicationStatus.valueOf(
                    PREFIX + stored.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED;
        }
    }

    /** The stored value of an enum; UNSPECIFIED (no filter) is null. */
    static String toStored(ReplicationStatus status) {
        if (status == ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED || status == ReplicationStatus.UNRECOGNIZED) {
            return null;
        }
        return status.name().substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
