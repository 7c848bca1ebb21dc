package io.tandem.replication.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tandem.proto.v1.ReplicationStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one naming rule between stored replication statuses and the proto enum holds for every value of both. */
class ReplicationStatusesTest {
    /** The values the schema's CHECK constraints allow (V1__schema.sql). */
    private static final List<String> STORED = List.of(
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

    @Test
    void everyStoredValueHasItsEnumAndBack() {
        for (String stored : STORED) {
            ReplicationStatus status = ReplicationStatuses.toProto(stored);
            assertEquals(stored, ReplicationStatuses.toStored(status), stored);
        }
        assertEquals(STORED.size(), ReplicationStatus.values().length - 2, "every enum value but UNSPECIFIED");
    }

    @Test
    void unsetAndUnknownAreUnspecified() {
        assertEquals(ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED, ReplicationStatuses.toProto(null));
        assertEquals(ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED, ReplicationStatuses.toProto("sideways"));
        assertNull(ReplicationStatuses.toStored(ReplicationStatus.REPLICATION_STATUS_UNSPECIFIED));
    }
}
