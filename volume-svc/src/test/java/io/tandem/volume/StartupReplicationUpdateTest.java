package io.tandem.volume;

import static io.tandem.volume.VolumeLifecycleTest.create;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.driver.memory.Operation;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Step 5 of the start: when the database says a reset changed the replication setup, the starting node runs the
 * driver's updateHostReplication once and commits its result; on any other start it runs nothing, and a start while
 * replication-svc owns the status (an online promote) leaves it alone. One in-process node with the in-memory driver;
 * the race of several members and the takeover of a killed one are in system-tests (PromoteStoryTest).
 */
class StartupReplicationUpdateTest {
    private static final String CLUSTER = "c1@boot";
    private static final Map<String, Object> TARGETS = Map.of(
            "tandem.volume.replication-targets[0].backend-id", "far",
            "tandem.volume.replication-targets[0].location", "memory://far");

    private TestNodes nodes;
    private Scheduler scheduler;
    private UUID volume;

    @BeforeEach
    void startOnce() {
        nodes = new TestNodes("boot");
        scheduler = new Scheduler(nodes.dataSource());
        TestNodes.Node first = nodes.start("n1", CLUSTER, TARGETS);
        volume = scheduler.place(CLUSTER, first.host, 1, scheduler.serviceId(first.host), "enabled");
        first.stub().createVolume(create(volume));
        first.close();
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aPlainRestartRunsNoUpdate() {
        nodes.start("n1", CLUSTER, TARGETS);
        assertEquals(0, nodes.faults().calls(Operation.UPDATE_HOST_REPLICATION));
        assertEquals("enabled", clusterStatus());
    }

    @Test
    void aResetToDisabledWithTargetsIsUpdatedAtStartAndTheSyncTimesAreForgotten() {
        scheduler.sql("UPDATE volumes SET replication_status = 'failed-over', last_sync_at = '2000-01-01Z'");
        reset("disabled");

        nodes.start("n1", CLUSTER, TARGETS);
        assertEquals(1, nodes.faults().calls(Operation.UPDATE_HOST_REPLICATION));
        assertEquals("enabled", clusterStatus());
        assertEquals("enabled", scheduler.text("SELECT replication_status FROM services WHERE host = 'n1@boot'"));
        assertEquals("enabled", volumeColumn("replication_status"));
        // The targets start over: the old sync time is gone (none, or the time of a copy made since the start).
        assertEquals(
                0,
                scheduler.count("SELECT count(*) FROM volumes WHERE last_sync_at < '2001-01-01Z'"),
                "the sync time before the reset was forgotten");

        nodes.start("n2", CLUSTER, TARGETS);
        assertEquals(1, nodes.faults().calls(Operation.UPDATE_HOST_REPLICATION), "the next start finds it done");
    }

    @Test
    void cindersResetToEnabledStillUpdatesVolumesLeftFailedOver() {
        scheduler.sql("UPDATE volumes SET replication_status = 'failed-over'");
        reset("enabled");

        nodes.start("n1", CLUSTER, TARGETS);
        assertEquals(1, nodes.faults().calls(Operation.UPDATE_HOST_REPLICATION));
        assertEquals("enabled", volumeColumn("replication_status"));
    }

    @Test
    void aDriverFailureLeavesTheClusterInErrorAndTheNodeServesUnfenced() {
        reset("disabled");
        nodes.faults().failOnCall(Operation.UPDATE_HOST_REPLICATION, 1);

        TestNodes.Node node = nodes.start("n1", CLUSTER, TARGETS);
        assertEquals("error", clusterStatus());
        UUID next = scheduler.place(CLUSTER, node.host, 1, scheduler.serviceId(node.host), "disabled");
        assertEquals(
                "available",
                node.stub()
                        .createVolume(create(next))
                        .getVolume()
                        .getStatus()
                        .name()
                        .replace("VOLUME_STATUS_", "")
                        .toLowerCase(java.util.Locale.ROOT),
                "a cluster in error fences no member: its data path works");
    }

    @Test
    void anUpdatingStatusOwnedByAnUnfinishedPromoteIsLeftToReplicationSvc() {
        scheduler.sql("UPDATE clusters SET replication_status = 'updating'");
        scheduler.sql(
                "INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, owner,"
                        + " previous_status, claim_epoch, new_targets) VALUES ('promote', 'cluster', ?, 'default', 'default',"
                        + " 'draining', 'replication-1', 'enabled', 0, '[]'::jsonb)",
                CLUSTER);

        nodes.start("n1", CLUSTER, TARGETS);
        assertEquals(0, nodes.faults().calls(Operation.UPDATE_HOST_REPLICATION));
        assertEquals("updating", clusterStatus());
    }

    /** What tandem-manage's reset writes (it has its own tests): status, no active backend, epoch + 1, no sites. */
    private void reset(String status) {
        scheduler.sql(
                "UPDATE clusters SET replication_status = ?, active_backend_id = NULL, epoch = epoch + 1 WHERE name = ?",
                status,
                CLUSTER);
        scheduler.sql(
                "UPDATE services SET replication_status = ?, active_backend_id = NULL, epoch = epoch + 1"
                        + " WHERE cluster_name = ?",
                status,
                CLUSTER);
        scheduler.sql("DELETE FROM replication_targets WHERE scope = ?", CLUSTER);
    }

    private String clusterStatus() {
        return scheduler.text("SELECT replication_status FROM clusters WHERE name = ?", CLUSTER);
    }

    private String volumeColumn(String column) {
        return scheduler.text("SELECT " + column + "::text FROM volumes WHERE id = ?", volume);
    }
}
