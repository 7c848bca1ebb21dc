package io.tandem.driver.memory;

import static io.tandem.driver.memory.InMemoryDriverTest.setUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.DriverException;
import io.tandem.driver.FailoverResult;
import io.tandem.driver.InvalidReplicationTargetException;
import io.tandem.driver.ReplicationReport;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.VolumeSync;
import io.tandem.driver.VolumeUpdate;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replication and failover of the in-memory driver: the shared-filesystem semantics without data, and faults. */
class InMemoryReplicationTest {
    private static final String BACKEND = "replication-test";
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ExecutorService calls = Executors.newCachedThreadPool();
    private Faults faults;
    private InMemoryDriver node1;
    private InMemoryDriver node2;

    @BeforeEach
    void setUpNodes() {
        InMemoryDriver.reset(BACKEND);
        faults = InMemoryDriver.faults(BACKEND);
        node1 = setUp("node-1", BACKEND, Map.of());
        node2 = setUp("node-2", BACKEND, Map.of());
    }

    @AfterEach
    void releaseEverything() {
        InMemoryDriver.reset(BACKEND);
        calls.shutdownNow();
    }

    private VolumeSpec replicated(String id) {
        VolumeSpec volume = new VolumeSpec(id, 1, null, true);
        node1.createVolume(volume);
        return volume;
    }

    @Test
    void declaresActiveActiveReplication() {
        assertTrue(node1.capabilities().supportsActiveActive());
        assertTrue(node1.capabilities().supportsReplication());
        assertTrue(node1.capabilities().supportsActiveActiveReplication());
    }

    @Test
    void replicateReportsEveryReplicatedVolumeSyncedWithZeroBytesAlsoOnesAnotherMemberCreated() {
        VolumeSpec v1 = replicated("v1");
        VolumeSpec plain = new VolumeSpec("plain", 1, null, false);
        node1.createVolume(plain);
        // Not in this JVM's map: in a cluster of processes another member created it.
        VolumeSpec elsewhere = new VolumeSpec("elsewhere", 1, null, true);

        ReplicationReport report = node1.replicate(List.of(v1, plain, elsewhere), () -> true);

        assertEquals(
                List.of("v1", "elsewhere"),
                report.synced().stream().map(VolumeSync::volumeId).toList());
        assertEquals(0, report.bytesCopied());
        assertEquals(List.of(), report.failed());
        assertEquals(1, faults.calls(Operation.REPLICATE));
    }

    @Test
    void replicateStopsBetweenVolumesAndRunsOnlyOnThePrimary() {
        List<VolumeSpec> volumes = List.of(replicated("v1"), replicated("v2"), replicated("v3"));
        int[] asked = {0};

        ReplicationReport report = node1.replicate(volumes, () -> ++asked[0] <= 2);

        assertEquals(
                List.of("v1", "v2"),
                report.synced().stream().map(VolumeSync::volumeId).toList());
        assertEquals(List.of(), report.failed());

        node1.failoverCompleted("site-b");
        DriverException refused = assertThrows(DriverException.class, () -> node1.replicate(volumes, () -> true));
        assertTrue(refused.getMessage().contains("'site-b'"), refused.getMessage());
    }

    @Test
    void failoverReturnsTheUpdatesAndFailoverCompletedMovesEachNode() {
        VolumeSpec v1 = replicated("v1");
        VolumeSpec plain = new VolumeSpec("plain", 1, null, false);
        node1.createVolume(plain);
        // Not in this JVM's map (another member's process created it): replicated all the same.
        VolumeSpec elsewhere = new VolumeSpec("elsewhere", 1, null, true);

        FailoverResult result = node1.failover(List.of(v1, plain, elsewhere), "site-b");

        assertEquals("site-b", result.activeBackendId());
        assertEquals(
                List.of(
                        new VolumeUpdate("v1", null, "failed-over", "memory://" + BACKEND + "/v1"),
                        new VolumeUpdate("plain", "error", null, null),
                        new VolumeUpdate("elsewhere", null, "failed-over", "memory://" + BACKEND + "/elsewhere")),
                result.volumeUpdates());
        assertEquals(result, node2.failover(List.of(v1, plain, elsewhere), "site-b"), "idempotent");
        assertEquals("default", node1.initializeConnection(v1).data().get("site"), "failover alone moves nothing");

        node1.failoverCompleted("site-b");
        node1.failoverCompleted("site-b");

        assertEquals("site-b", node1.initializeConnection(v1).data().get("site"));
        assertEquals("site-b", node1.activeBackendId());
        assertEquals("default", node2.initializeConnection(v1).data().get("site"));

        FailoverResult failback = node1.failover(List.of(v1), "default");
        node1.failoverCompleted("default");

        assertNull(failback.activeBackendId());
        assertEquals(
                List.of(new VolumeUpdate("v1", null, "enabled", "memory://" + BACKEND + "/v1")),
                failback.volumeUpdates());
        assertNull(node1.activeBackendId());
    }

    @Test
    void invalidTargetsAreRefusedAsSuch() {
        assertThrows(InvalidReplicationTargetException.class, () -> node1.failover(List.of(), "site-x"));
        assertThrows(InvalidReplicationTargetException.class, () -> node1.failover(List.of(), "default"));
        assertThrows(InvalidReplicationTargetException.class, () -> node1.failover(List.of(), " "));
        assertThrows(InvalidReplicationTargetException.class, () -> node1.failoverCompleted("site-x"));
        node1.failoverCompleted("site-b");
        assertThrows(InvalidReplicationTargetException.class, () -> node1.failover(List.of(), "site-b"));
    }

    @Test
    void failoverOfTenThousandVolumesCostsNothing() {
        List<VolumeSpec> volumes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            volumes.add(replicated("v" + i));
        }

        long started = System.nanoTime();
        FailoverResult result = node1.failover(volumes, "site-b");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals(10_000, result.volumeUpdates().size());
        assertTrue(result.volumeUpdates().stream().allMatch(u -> "failed-over".equals(u.replicationStatus())));
        assertTrue(millis < 2_000, "failover of 10,000 volumes took " + millis + " ms");
    }

    @Test
    void faultsApplyToEveryReplicationCall() throws Exception {
        VolumeSpec v1 = replicated("v1");
        faults.failOnCall(Operation.REPLICATE, 1);
        faults.failOnCall(Operation.FAILOVER, 1);
        faults.failOnCall(Operation.FAILOVER_COMPLETED, 1);
        faults.failOnCall(Operation.FREEZE, 1);
        faults.failOnCall(Operation.THAW, 1);

        DriverException replicate = assertThrows(DriverException.class, () -> node1.replicate(List.of(v1), () -> true));
        assertThrows(DriverException.class, () -> node1.failover(List.of(v1), "site-b"));
        assertThrows(DriverException.class, () -> node1.failoverCompleted("site-b"));
        assertThrows(DriverException.class, node1::freezeBackend);
        assertThrows(DriverException.class, node1::thawBackend);

        assertTrue(replicate.getMessage().contains("Injected failure of replicate"), replicate.getMessage());
        assertNull(node1.activeBackendId(), "a failed failoverCompleted moved nothing");
        assertEquals(1, node1.replicate(List.of(v1), () -> true).synced().size());
        assertEquals("site-b", node1.failover(List.of(v1), "site-b").activeBackendId());

        Hang hang = faults.hang(Operation.FAILOVER_COMPLETED);
        CompletableFuture<?> completing = CompletableFuture.runAsync(() -> node2.failoverCompleted("site-b"), calls);
        Eventually.await(DEADLINE, "failoverCompleted held", () -> hang.waiting() == 1);
        assertFalse(completing.isDone());
        assertNull(node2.activeBackendId(), "a held failoverCompleted has not moved the node yet");

        hang.release();

        completing.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals("site-b", node2.activeBackendId());
        assertEquals(2, faults.calls(Operation.REPLICATE));
        assertEquals(2, faults.calls(Operation.FAILOVER_COMPLETED));
    }

    @Test
    void replicationFaultsCanBeArmedByOptions() {
        InMemoryDriver slow =
                setUp("node-3", BACKEND, Map.of("delay.replicate", "200ms", "fail.failover.from-call", "1"));

        long started = System.nanoTime();
        slow.replicate(List.of(), () -> true);

        assertTrue(System.nanoTime() - started >= Duration.ofMillis(200).toNanos());
        assertThrows(DriverException.class, () -> slow.failover(List.of(), "site-b"));
        assertThrows(DriverException.class, () -> node1.failover(List.of(), "site-b"), "faults are per backend");
    }
}
