package io.tandem.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.core.error.InvalidArgumentException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The etcd value formats and key layout other services and operators (etcdctl) rely on. */
class JsonAndKeysTest {
    private static final Instant T = Instant.parse("2025-01-02T03:04:05Z");

    @Test
    void memberIsSnakeCaseJsonAndRoundTrips() {
        MemberInfo member = new MemberInfo("n1@lvm", "c1@lvm", "lvm", "10.0.0.1:50061", "site-b", 7, T);
        String json = Json.writeString(member);
        assertEquals(
                "{\"host\":\"n1@lvm\",\"cluster\":\"c1@lvm\",\"backend\":\"lvm\",\"grpc_address\":\"10.0.0.1:50061\","
                        + "\"active_backend_id\":\"site-b\",\"epoch\":7,\"started_at\":\"2025-01-02T03:04:05Z\"}",
                json);
        assertEquals(member, Json.readString(json, MemberInfo.class));
    }

    @Test
    void otherValuesAreSnakeCaseJson() {
        assertEquals(
                "{\"binary\":\"scheduler\",\"host\":\"s1\",\"grpc_address\":\"s1:50051\","
                        + "\"started_at\":\"2025-01-02T03:04:05Z\"}",
                Json.writeString(new ServiceInfo("scheduler", "s1", "s1:50051", T)));
        assertEquals(
                "{\"total_bytes\":100,\"free_bytes\":40,\"updated_at\":\"2025-01-02T03:04:05Z\"}",
                Json.writeString(new CapacityStats(100, 40, T)));
        assertEquals("{\"epoch\":3,\"active_backend_id\":null}", Json.writeString(new EpochRecord(3, null)));
        assertEquals(
                new EpochRecord(3, "b"),
                Json.readString("{\"epoch\":3,\"active_backend_id\":\"b\"}", EpochRecord.class));
    }

    @Test
    void unknownFieldsFromNewerNodesAreIgnored() {
        EpochRecord read =
                Json.readString("{\"epoch\":4,\"active_backend_id\":\"b\",\"added_later\":1}", EpochRecord.class);
        assertEquals(new EpochRecord(4, "b"), read);
        assertThrows(IllegalArgumentException.class, () -> Json.readString("{not json", EpochRecord.class));
    }

    @Test
    void keyLayoutFollowsTheArchitecture() {
        EtcdKeys keys = new EtcdKeys("/tandem");
        assertEquals("/tandem/members/c1@lvm/n1@lvm", keys.member("c1@lvm", "n1@lvm"));
        assertEquals("/tandem/members/_/n2@lvm", keys.member(null, "n2@lvm"));
        assertEquals("/tandem/members/c1@lvm/", keys.membersOf("c1@lvm"));
        assertEquals("/tandem/services/scheduler/s1", keys.service("scheduler", "s1"));
        assertEquals("/tandem/stats/c1@lvm/n1@lvm", keys.stats("c1@lvm", "n1@lvm"));
        assertEquals("/tandem/stats/_/n2@lvm", keys.stats(null, "n2@lvm"));
        assertEquals("/tandem/epochs/c1@lvm", keys.epoch("c1@lvm"));
        assertEquals("/tandem/replicator/n2@lvm", keys.replicator("n2@lvm"));
        assertEquals("n1@lvm", EtcdKeys.lastSegment(keys.member("c1@lvm", "n1@lvm")));
    }

    @Test
    void segmentsWithSlashesAreRefused() {
        EtcdKeys keys = new EtcdKeys("/tandem");
        assertThrows(InvalidArgumentException.class, () -> keys.member("c1", "a/b"));
        assertThrows(InvalidArgumentException.class, () -> keys.epoch(" "));
    }

    @Test
    void configIsValidated() {
        MembershipConfig config = MembershipConfig.defaults("http://127.0.0.1:23790");
        assertEquals(Duration.ofSeconds(5), config.leaseTtl());
        assertEquals("/tandem", config.prefix());
        assertThrows(IllegalArgumentException.class, () -> config.withLeaseTtl(Duration.ofMillis(2500)));
        assertThrows(IllegalArgumentException.class, () -> config.withPrefix("tandem/"));
        assertThrows(IllegalArgumentException.class, () -> MembershipConfig.defaults(List.of()));
        assertTrue(config.withOperationTimeout(Duration.ofSeconds(1))
                        .operationTimeout()
                        .toMillis()
                == 1000);
    }
}
