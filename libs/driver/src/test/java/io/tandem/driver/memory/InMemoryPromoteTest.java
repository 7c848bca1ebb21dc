package io.tandem.driver.memory;

import static io.tandem.driver.memory.InMemoryDriverTest.setUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.DriverContext;
import io.tandem.driver.DriverException;
import io.tandem.driver.HostReplicationUpdate;
import io.tandem.driver.InvalidReplicationTargetException;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.VolumeUpdate;
import io.tandem.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promote of the in-memory driver (site-b, once a target, becomes the primary with the new target site-c):
 * {@code reconfigure} and {@code updateHostReplication} with the shared-filesystem semantics, and their faults, armed
 * by tests and by options as a separate volume-svc process gets them.
 */
class InMemoryPromoteTest {
    private static final String BACKEND = "promote-test";
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ExecutorService calls = Executors.newCachedThreadPool();
    private Faults faults;
    private InMemoryDriver node1;
    private InMemoryDriver node2;
    private VolumeSpec created;
    // Not in this JVM's map: in a cluster of processes another member created it.
    private final VolumeSpec elsewhere = new VolumeSpec("elsewhere", 1, null, true);

    @BeforeEach
    void setUpNodes() {
        InMemoryDriver.reset(BACKEND);
        faults = InMemoryDriver.faults(BACKEND);
        node1 = setUp("node-1", BACKEND, Map.of());
        node2 = setUp("node-2", BACKEND, Map.of());
        created = new VolumeSpec("v1", 1, null, false);
        node1.createVolume(created);
    }

    @AfterEach
    void releaseEverything() {
        InMemoryDriver.reset(BACKEND);
        calls.shutdownNow();
    }

    /** site-b as the primary with target site-c, no active backend: what a promote hands every member. */
    private static DriverContext promoted(String host, ReplicationTarget... targets) {
        return new DriverContext(host + "@" + BACKEND, BACKEND, null, "memory://site-b", List.of(targets), Map.of());
    }

    private static DriverContext promoted(String host) {
        return promoted(host, new ReplicationTarget("site-c", "memory://site-c"));
    }

    private static VolumeUpdate primary(VolumeSpec volume, String replicationStatus) {
        return new VolumeUpdate(volume.id(), null, replicationStatus, "memory://" + BACKEND + "/" + volume.id());
    }

    /** Both members failed over to site-b, as before a promote. */
    private void failedOverToSiteB() {
        assertEquals(
                "site-b", node1.failover(List.of(created, elsewhere), "site-b").activeBackendId());
        node1.failoverCompleted("site-b");
        node2.failoverCompleted("site-b");
    }

    @Test
    void updateHostReplicationReportsEveryVolumeEnabledWithTargetsAndIsIdempotent() {
        HostReplicationUpdate update = node1.updateHostReplication("disabled", null, List.of(created, elsewhere));

        assertEquals(
                new HostReplicationUpdate(
                        "enabled", null, List.of(primary(created, "enabled"), primary(elsewhere, "enabled"))),
                update);
        assertEquals(update, node2.updateHostReplication("updating", null, List.of(created, elsewhere)));
        assertEquals(2, faults.calls(Operation.UPDATE_HOST_REPLICATION));
    }

    @Test
    void withoutTargetsTheBackendAndItsVolumesAreDisabled() {
        node1.reconfigure(promoted("node-1"));
        node1.reconfigure(promoted("node-1", new ReplicationTarget[0]));

        HostReplicationUpdate update = node1.updateHostReplication("enabled", null, List.of(created));

        assertEquals(
                new HostReplicationUpdate(
                        VolumeUpdate.REPLICATION_DISABLED,
                        null,
                        List.of(primary(created, VolumeUpdate.REPLICATION_DISABLED))),
                update);
    }

    @Test
    void withAnActiveBackendIdNothingIsDoneAndAsThePrimaryOnlyWhileServingIt() {
        failedOverToSiteB();

        assertEquals(
                new HostReplicationUpdate("failed-over", "site-b", List.of()),
                node1.updateHostReplication("failed-over", "site-b", List.of(created)));
        DriverException refused =
                assertThrows(DriverException.class, () -> node1.updateHostReplication("updating", null, List.of()));
        assertTrue(refused.getMessage().contains("serves site 'site-b'"), refused.getMessage());
    }

    @Test
    void promoteMakesTheFormerTargetThePrimaryWithTheNewTarget() {
        failedOverToSiteB();

        node1.reconfigure(promoted("node-1"));
        HostReplicationUpdate update = node1.updateHostReplication("failed-over", null, List.of(created, elsewhere));

        assertEquals(
                new HostReplicationUpdate(
                        "enabled", null, List.of(primary(created, "enabled"), primary(elsewhere, "enabled"))),
                update);
        assertEquals("default", node1.initializeConnection(created).data().get("site"));
        assertNull(node1.activeBackendId());
        assertEquals("site-b", node2.initializeConnection(created).data().get("site"), "not reconfigured yet");

        node2.reconfigure(promoted("node-2"));

        assertEquals("default", node2.initializeConnection(created).data().get("site"));
        assertEquals(1, node2.replicate(List.of(elsewhere), () -> true).synced().size(), "replicates as the primary");
        assertThrows(
                InvalidReplicationTargetException.class,
                () -> node1.failover(List.of(created), "site-b"),
                "site-b is no target any more");
        assertEquals("site-c", node1.failover(List.of(elsewhere), "site-c").activeBackendId());
        node1.failoverCompleted("site-c");
        assertEquals("site-c", node1.initializeConnection(created).data().get("site"));
        assertEquals(2, faults.calls(Operation.RECONFIGURE));
    }

    @Test
    void reconfigureRefusesAnotherBackendOrAnUnknownActiveSiteAndChangesNothing() {
        failedOverToSiteB();
        DriverContext otherBackend =
                new DriverContext("node-1@other", "other", null, "memory://site-b", List.of(), Map.of());
        DriverContext unknownActive =
                new DriverContext("node-1@" + BACKEND, BACKEND, "site-x", "memory://site-b", List.of(), Map.of());

        DriverException wrongBackend = assertThrows(DriverException.class, () -> node1.reconfigure(otherBackend));
        assertThrows(DriverException.class, () -> node1.reconfigure(unknownActive));

        assertTrue(wrongBackend.getMessage().contains("'other'"), wrongBackend.getMessage());
        assertEquals("site-b", node1.activeBackendId());
        assertEquals("site-b", node1.initializeConnection(created).data().get("site"));
    }

    @Test
    void failOnCallFailsThatCallOfEitherAndAFailedReconfigureChangesNothing() {
        failedOverToSiteB();
        faults.failOnCall(Operation.RECONFIGURE, 1);
        faults.failOnCall(Operation.UPDATE_HOST_REPLICATION, 2);

        DriverException reconfigure = assertThrows(DriverException.class, () -> node1.reconfigure(promoted("node-1")));
        assertEquals("site-b", node1.activeBackendId(), "a failed reconfigure moved nothing");
        node1.reconfigure(promoted("node-1"));
        node1.updateHostReplication("failed-over", null, List.of(created));
        DriverException update = assertThrows(
                DriverException.class, () -> node1.updateHostReplication("updating", null, List.of(created)));
        HostReplicationUpdate retried = node1.updateHostReplication("updating", null, List.of(created));

        assertTrue(reconfigure.getMessage().contains("Injected failure of reconfigure"), reconfigure.getMessage());
        assertTrue(update.getMessage().contains("Injected failure of update-host-replication"), update.getMessage());
        assertEquals("enabled", retried.replicationStatus());
        assertEquals(2, faults.calls(Operation.RECONFIGURE));
        assertEquals(3, faults.calls(Operation.UPDATE_HOST_REPLICATION));
    }

    @Test
    void aHungReconfigureOrUpdateHoldsUntilReleased() throws Exception {
        failedOverToSiteB();
        Hang reconfigureHang = faults.hang(Operation.RECONFIGURE);
        CompletableFuture<?> reconfiguring = async(() -> node1.reconfigure(promoted("node-1")));
        Eventually.await(DEADLINE, "reconfigure held", () -> reconfigureHang.waiting() == 1);
        assertFalse(reconfiguring.isDone());
        assertEquals("site-b", node1.initializeConnection(created).data().get("site"), "not switched while held");

        reconfigureHang.release();

        reconfiguring.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals("default", node1.initializeConnection(created).data().get("site"));

        Hang updateHang = faults.hang(Operation.UPDATE_HOST_REPLICATION);
        CompletableFuture<HostReplicationUpdate> updating = CompletableFuture.supplyAsync(
                () -> node1.updateHostReplication("failed-over", null, List.of(created)), calls);
        Eventually.await(DEADLINE, "updateHostReplication held", () -> updateHang.waiting() == 1);
        assertFalse(updating.isDone());

        updateHang.release();

        assertEquals(
                List.of(primary(created, "enabled")),
                updating.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).volumeUpdates());
    }

    @Test
    void optionsHangUpdateHostReplicationUntilAReleaseFileAppears(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        InMemoryDriver held =
                setUp("node-3", BACKEND, Map.of("hang.update-host-replication.release-file", go.toString()));
        CompletableFuture<HostReplicationUpdate> updating = CompletableFuture.supplyAsync(
                () -> held.updateHostReplication("disabled", null, List.of(created)), calls);
        Eventually.await(
                DEADLINE,
                "updateHostReplication held",
                () -> faults.currentHang(Operation.UPDATE_HOST_REPLICATION).waiting() == 1);
        assertFalse(updating.isDone());

        Files.createFile(go);

        assertEquals(
                "enabled", updating.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).replicationStatus());
    }

    @Test
    void optionsHangUpdateHostReplicationForGood() throws Exception {
        // What a system test arms in a volume-svc process before killing it with kill -9 mid-update.
        InMemoryDriver held = setUp("node-3", BACKEND, Map.of("hang.update-host-replication", "true"));
        Hang hang = faults.currentHang(Operation.UPDATE_HOST_REPLICATION);
        assertNotNull(hang);
        CompletableFuture<HostReplicationUpdate> updating = CompletableFuture.supplyAsync(
                () -> held.updateHostReplication("disabled", null, List.of(created)), calls);
        Eventually.await(DEADLINE, "updateHostReplication held", () -> hang.waiting() == 1);
        assertNull(hang.timeout(), "no timeout: held until the process dies");
        assertNull(hang.releaseFile());
        node1.createVolume(new VolumeSpec("v2", 1, null, false)); // other operations are not held
        assertFalse(updating.isDone());

        InMemoryDriver.reset(BACKEND); // the way out in one JVM; a process is killed instead

        assertEquals(
                "enabled", updating.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).replicationStatus());
    }

    @Test
    void optionsFailAndDelayReconfigure() {
        failedOverToSiteB();
        InMemoryDriver slow =
                setUp("node-3", BACKEND, Map.of("delay.reconfigure", "200ms", "fail.reconfigure.on-call", "2"));

        long started = System.nanoTime();
        slow.reconfigure(promoted("node-3"));

        assertTrue(System.nanoTime() - started >= Duration.ofMillis(200).toNanos());
        DriverException failed = assertThrows(DriverException.class, () -> node1.reconfigure(promoted("node-1")));
        assertTrue(failed.getMessage().contains("reconfigure"), failed.getMessage());
        assertEquals("default", slow.initializeConnection(created).data().get("site"));
        assertEquals("site-b", node1.initializeConnection(created).data().get("site"), "the failed call moved nothing");
        node1.reconfigure(promoted("node-1"));
        assertEquals("default", node1.initializeConnection(created).data().get("site"));
        assertEquals(3, faults.calls(Operation.RECONFIGURE));
    }

    private CompletableFuture<?> async(Runnable call) {
        return CompletableFuture.runAsync(call, calls);
    }
}
