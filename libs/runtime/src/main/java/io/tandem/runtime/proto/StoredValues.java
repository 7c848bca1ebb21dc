package io.tandem.runtime.proto;

import com.google.protobuf.Timestamp;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.VolumeStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Values between their stored form (Cinder's spellings: {@code failed-over}, {@code error_deleting}) and the
 * messages of the tandem.v1 contracts, in one place for every service. Enum names are the stored values upper-cased
 * with {@code -} as {@code _}; the stored lists below make the reverse direction exact ({@code in-use} and {@code
 * error_deleting} both become underscores in an enum name).
 */
public final class StoredValues {
    private static final List<String> VOLUME_STATUSES =
            List.of("creating", "available", "deleting", "error", "error_deleting", "extending", "error_extending");
    private static final List<String> REPLICATION_STATUSES = List.of(
            "enabled",
            "disabled",
            "not-capable",
            "failing-over",
            "failover-error",
            "failed-over",
            "error",
            "enabling",
            "disabling",
            "updating");
    private static final Map<String, VolumeStatus> VOLUME =
            index(VOLUME_STATUSES, s -> VolumeStatus.valueOf("VOLUME_STATUS_" + constant(s)));
    private static final Map<String, ReplicationStatus> REPLICATION =
            index(REPLICATION_STATUSES, s -> ReplicationStatus.valueOf("REPLICATION_STATUS_" + constant(s)));
    private static final Map<VolumeStatus, String> VOLUME_STORED = invert(VOLUME);
    private static final Map<ReplicationStatus, String> REPLICATION_STORED = invert(REPLICATION);

    private StoredValues() {}

    /** The enum of a stored volume status; statuses Tandem does not use yet (attach states) are UNSPECIFIED. */
    public static VolumeStatus volumeStatus(String stored) {
        return stored == null
                ? VolumeStatus.VOLUME_STATUS_UNSPECIFIED
                : VOLUME.getOrDefault(stored, VolumeStatus.VOLUME_STATUS_UNSPECIFIED);
    }

    /** The stored volume status of an enum; UNSPECIFIED (no filter) is null. */
    public static String storedVolumeStatus(VolumeStatus status) {
        if (status == VolumeStatus.UNRECOGNIZED) {
            throw new InvalidArgumentException("status is not a known volume status");
        }
        return VOLUME_STORED.get(status);
    }

    /** The enum of a stored replication status; null or unknown is UNSPECIFIED. */
    public static ReplicationStatus replicationStatus(String stored) {
        return stored == null
                ? ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED
                : REPLICATION.getOrDefault(stored, ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED);
    }

    /** The stored replication status of an enum; UNSPECIFIED (no filter) is null. */
    public static String storedReplicationStatus(ReplicationStatus status) {
        if (status == ReplicationStatus.UNRECOGNIZED) {
            throw new InvalidArgumentException("replication_status is not a known replication status");
        }
        return REPLICATION_STORED.get(status);
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }

    public static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    /** Proto strings cannot be null: a missing value is the empty string. */
    public static String text(String value) {
        return value == null ? "" : value;
    }

    private static String constant(String stored) {
        return stored.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static <E> Map<String, E> index(List<String> stored, Function<String, E> toEnum) {
        return Collections.unmodifiableMap(stored.stream().collect(Collectors.toMap(s -> s, toEnum)));
    }

    private static <E> Map<E, String> invert(Map<String, E> map) {
        return Collections.unmodifiableMap(
                map.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey)));
    }
}
