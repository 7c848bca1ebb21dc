package io.tandem.runtime.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.proto.v1.ReplicationStatus;
import io.tandem.proto.v1.VolumeStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stored values and the proto enums map both ways for every value of both. */
class StoredValuesTest {
    /** The values the schema's CHECK constraints allow (V1__schema.sql). */
    private static final List<String> REPLICATION = List.of(
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

    private static final List<String> VOLUME =
            List.of("creating", "available", "deleting", "error", "error_deleting", "extending", "error_extending");

    @Test
    void everyStoredReplicationStatusHasItsEnumAndBack() {
        for (String stored : REPLICATION) {
            assertEquals(stored, StoredValues.storedReplicationStatus(StoredValues.replicationStatus(stored)), stored);
        }
        assertEquals(REPLICATION.size(), ReplicationStatus.values().length - 2, "every enum value but UNSPECIFIED");
    }

    @Test
    void everyVolumeStatusEnumHasItsStoredValueAndBack() {
        for (String stored : VOLUME) {
            assertEquals(stored, StoredValues.storedVolumeStatus(StoredValues.volumeStatus(stored)), stored);
        }
        assertEquals(VOLUME.size(), VolumeStatus.values().length - 2, "every enum value but UNSPECIFIED");
        assertEquals(
                VolumeStatus.VOLUME_STATUS_UNSPECIFIED,
                StoredValues.volumeStatus("in-use"),
                "Cinder's attach states have no enum yet");
    }

    @Test
    void unsetAndUnknownAreUnspecifiedAndUnrecognizedIsRefused() {
        assertEquals(ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED, StoredValues.replicationStatus(null));
        assertEquals(ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED, StoredValues.replicationStatus("sideways"));
        assertNull(StoredValues.storedReplicationStatus(ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED));
        assertNull(StoredValues.storedVolumeStatus(VolumeStatus.VOLUME_STATUS_UNSPECIFIED));
        assertThrows(InvalidArgumentException.class, () -> StoredValues.storedVolumeStatus(VolumeStatus.UNRECOGNIZED));
    }

    @Test
    void timestampsRoundTripToTheNanosecond() {
        Instant instant = Instant.parse("2026-11-22T23:45:01.123456789Z");
        assertEquals(instant, StoredValues.instant(StoredValues.timestamp(instant)));
    }
}
