package io.tandem.driver.fs;

import static io.tandem.driver.fs.SharedFilesystemReplicationTest.MIB;
import static io.tandem.driver.fs.SharedFilesystemReplicationTest.fileAt;
import static io.tandem.driver.fs.SharedFilesystemReplicationTest.read;
import static io.tandem.driver.fs.SharedFilesystemReplicationTest.write;
import static io.tandem.driver.fs.Sites.context;
import static io.tandem.driver.fs.Sites.newId;
import static io.tandem.driver.fs.Sites.setUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.DriverContext;
import io.tandem.driver.DriverException;
import io.tandem.driver.FailoverResult;
import io.tandem.driver.HostReplicationUpdate;
import io.tandem.driver.ReplicationReport;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.VolumeSync;
import io.tandem.driver.VolumeUpdate;
import io.tandem.driver.fs.replication.ExtentReplicator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promote a replication target (A → B → C) on real site directories: site A is lost, the cluster fails over to B, then
 * B becomes the primary with the new target C, online ({@code reconfigure} + {@code updateHostReplication}) or by a
 * restart. Bytes written at A before the loss and at B after the promote are read back at C.
 */
class SharedFilesystemPromoteTest {
    private static final long DEADLINE_SECONDS = 20;

    @TempDir
    Path dir;

    private Path siteA;
    private Path siteB;
    private Path siteC;
    private ReplicationTarget b;
    private ReplicationTarget c;
    private SharedFilesystemDriver node1;
    private SharedFilesystemDriver node2;
    private ExecutorService pool;

    @BeforeEach
    void setUpSites() throws IOException {
        siteA = Files.createDirectory(dir.resolve("a"));
        siteB = Files.createDirectory(dir.resolve("b"));
        siteC = Files.createDirectory(dir.resolve("c"));
        b = new ReplicationTarget("b", siteB.toString());
        c = new ReplicationTarget("c", siteC.toString());
        node1 = setUp(context("node-1", siteA, null, b));
        node2 = setUp(context("node-2", siteA, null, b));
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** B as the primary with target C, as the promote hands it to every member. */
    private DriverContext promoted(String host) {
        return context(host, siteB, null, c);
    }

    /**
     * The disaster: {@code volume} holds {@code text} at 3 MiB and was replicated to B, then A's directory is lost and
     * both members fail over to B.
     */
    private void failedOverToB(List<VolumeSpec> volumes, String text) throws IOException {
        for (VolumeSpec volume : volumes) {
            node1.createVolume(volume);
            write(fileAt(siteA, volume.id()), 3 * MIB, text);
        }
        assertEquals(
                volumes.size(), node1.replicate(volumes, () -> true).synced().size());
        deleteRecursively(siteA);
        FailoverResult failover = node1.failover(volumes, "b");
        assertEquals("b", failover.activeBackendId());
        node1.failoverCompleted("b");
        node2.failoverCompleted("b");
    }

    /**
     * A cheaper start for tests that need no bytes from A (a 1 GiB sync costs seconds on a slow disk): both members
     * serve B as A's target, and {@code volumes} have their files there, as the copies replication left.
     */
    private void servingBWith(VolumeSpec... volumes) {
        node1.failoverCompleted("b");
        node2.failoverCompleted("b");
        for (VolumeSpec volume : volumes) {
            node1.createVolume(volume);
        }
    }

    private static VolumeSpec replicated() {
        return new VolumeSpec(newId(), 1, null, true);
    }

    private static VolumeUpdate primaryAt(Path site, VolumeSpec volume, String replicationStatus) {
        return new VolumeUpdate(
                volume.id(), null, replicationStatus, fileAt(site, volume.id()).toString());
    }

    @Test
    void promoteOnlineFromAToBToC() throws Exception {
        VolumeSpec volume = replicated();
        failedOverToB(List.of(volume), "generation 1, written at A");

        node1.reconfigure(promoted("node-1"));
        HostReplicationUpdate update = node1.updateHostReplication("failed-over", null, List.of(volume));
        node2.reconfigure(promoted("node-2")); // once the control plane committed the update

        assertEquals(new HostReplicationUpdate("enabled", null, List.of(primaryAt(siteB, volume, "enabled"))), update);
        for (SharedFilesystemDriver node : List.of(node1, node2)) {
            assertEquals(
                    Map.of("path", fileAt(siteB, volume.id()).toString(), "site", "default"),
                    node.initializeConnection(volume).data(),
                    "the data path did not move; B serves as the primary now");
        }

        write(fileAt(siteB, volume.id()), 500 * MIB, "generation 2, written at B");
        ReplicationReport report = node2.replicate(List.of(volume), () -> true);

        assertEquals(List.of(volume.id()), synced(report));
        assertEquals(List.of(), report.failed());
        Path copyAtC = fileAt(siteC, volume.id());
        assertEquals("generation 1, written at A", read(copyAtC, 3 * MIB, 26));
        assertEquals("generation 2, written at B", read(copyAtC, 500 * MIB, 26));
        assertEquals(-1L, Files.mismatch(fileAt(siteB, volume.id()), copyAtC));

        // C is a replication target like any other: fail over to it, then fail back to the new primary, B.
        FailoverResult toC = node1.failover(List.of(volume), "c");
        node1.failoverCompleted("c");
        node2.failoverCompleted("c");
        assertEquals(new FailoverResult("c", List.of(primaryAt(siteC, volume, "failed-over"))), toC);
        write(fileAt(siteC, volume.id()), 700 * MIB, "generation 3, written at C");

        FailoverResult back = node2.failover(List.of(volume), "default");
        node1.failoverCompleted("default");
        node2.failoverCompleted(null);

        assertNull(back.activeBackendId());
        assertEquals(List.of(primaryAt(siteB, volume, "enabled")), back.volumeUpdates());
        assertEquals("generation 3, written at C", read(fileAt(siteB, volume.id()), 700 * MIB, 26));
        assertEquals(
                fileAt(siteB, volume.id()).toString(),
                node1.initializeConnection(volume).data().get("path"));
        assertFalse(Files.exists(siteA), "nothing is recreated at the lost site");
    }

    @Test
    void promoteOfflineByARestartGivesTheSameResult() throws Exception {
        VolumeSpec volume = replicated();
        failedOverToB(List.of(volume), "written at A");

        SharedFilesystemDriver restarted = setUp(promoted("node-1"));
        HostReplicationUpdate update = restarted.updateHostReplication("disabled", null, List.of(volume));

        assertEquals(new HostReplicationUpdate("enabled", null, List.of(primaryAt(siteB, volume, "enabled"))), update);
        assertEquals(List.of(volume.id()), synced(restarted.replicate(List.of(volume), () -> true)));
        assertEquals(-1L, Files.mismatch(fileAt(siteB, volume.id()), fileAt(siteC, volume.id())));
    }

    @Test
    void aMissingTargetDirectoryIsRefusedNamingItAndNothingChanges() throws Exception {
        VolumeSpec volume = replicated();
        failedOverToB(List.of(volume), "written at A");
        Path missing = dir.resolve("c-not-mounted");
        Path metadataAtB = ExtentReplicator.metadataFile(siteB, volume.id());
        assertTrue(Files.exists(metadataAtB), "B still has the sync record from when it was A's target");
        node1.reconfigure(context("node-1", siteB, null, new ReplicationTarget("c", missing.toString())));

        DriverException refused = assertThrows(
                DriverException.class, () -> node1.updateHostReplication("failed-over", null, List.of(volume)));

        assertTrue(refused.getMessage().startsWith("Cannot set up replication to site 'c': "), refused.getMessage());
        assertTrue(
                refused.getMessage().contains(missing.toString() + " of site 'c' does not exist"),
                refused.getMessage());
        assertFalse(Files.exists(missing), "a missing site directory is never created");
        assertTrue(Files.exists(metadataAtB), "no sync record was forgotten");
        assertEquals(
                fileAt(siteB, volume.id()).toString(),
                node1.initializeConnection(volume).data().get("path"));

        // Once the share is mounted, the same call goes through.
        Files.createDirectory(missing);
        assertEquals(
                "enabled",
                node1.updateHostReplication("updating", null, List.of(volume)).replicationStatus());
    }

    @Test
    void withoutTargetsTheBackendAndItsVolumesAreDisabled() throws Exception {
        VolumeSpec volume = replicated();
        servingBWith(volume);
        node1.reconfigure(context("node-1", siteB, null));

        HostReplicationUpdate update = node1.updateHostReplication("failed-over", null, List.of(volume));

        assertEquals(
                new HostReplicationUpdate(
                        VolumeUpdate.REPLICATION_DISABLED,
                        null,
                        List.of(primaryAt(siteB, volume, VolumeUpdate.REPLICATION_DISABLED))),
                update);
    }

    @Test
    void aVolumeWithoutAFileOnTheNewPrimaryGoesToErrorAndEveryOtherVolumeIsReplicatedFromNowOn() throws Exception {
        VolumeSpec copied = replicated();
        servingBWith(copied);
        // Created at A after the last replication cycle, so B never had it.
        VolumeSpec lost = replicated();
        // Created at B while it served as a target, not replicated then.
        VolumeSpec plain = new VolumeSpec(newId(), 2, null, false);
        node1.createVolume(plain);
        node1.reconfigure(promoted("node-1"));

        HostReplicationUpdate update = node1.updateHostReplication("failed-over", null, List.of(copied, lost, plain));

        assertEquals(
                List.of(
                        primaryAt(siteB, copied, "enabled"),
                        new VolumeUpdate(lost.id(), "error", null, null),
                        primaryAt(siteB, plain, "enabled")),
                update.volumeUpdates());
        assertEquals("enabled", update.replicationStatus());
    }

    @Test
    void aRepeatGivesTheSameResultAndTheCopiesStayEqual() throws Exception {
        VolumeSpec volume = replicated();
        servingBWith(volume);
        node1.reconfigure(promoted("node-1"));

        HostReplicationUpdate first = node1.updateHostReplication("failed-over", null, List.of(volume));
        HostReplicationUpdate again = node1.updateHostReplication("updating", null, List.of(volume));
        node1.replicate(List.of(volume), () -> true);
        // A member that died after the driver call is taken over and the call repeated, even after a cycle ran.
        node2.reconfigure(promoted("node-2"));
        HostReplicationUpdate takenOver = node2.updateHostReplication("updating", null, List.of(volume));

        assertEquals(first, again);
        assertEquals(first, takenOver);
        assertEquals(List.of(volume.id()), synced(node1.replicate(List.of(volume), () -> true)));
        assertEquals(-1L, Files.mismatch(fileAt(siteB, volume.id()), fileAt(siteC, volume.id())));
    }

    @Test
    void aStaleCopyWithSyncMetadataClaimingItUpToDateIsReplacedByAFullCompare() throws Exception {
        VolumeSpec volume = replicated();
        servingBWith(volume);
        Path atB = fileAt(siteB, volume.id());
        write(atB, 3 * MIB, "written before the promote");
        Path atC = fileAt(siteC, volume.id());
        // C's earlier life: it held this volume's copy and metadata from a sync, then its bytes changed behind the
        // metadata's back (the file's time put back), so the metadata still vouches for a copy equal to B.
        ExtentReplicator earlierLife = new ExtentReplicator();
        earlierLife.sync(atB, atC);
        FileTime synced = Files.getLastModifiedTime(atC);
        write(atC, 3 * MIB, "stale bytes from another life");
        write(atC, 900 * MIB, "more stale bytes");
        Files.setLastModifiedTime(atC, synced);
        assertEquals(0, earlierLife.sync(atB, atC).bytesCopied(), "the metadata alone would hide the stale bytes");
        node1.reconfigure(promoted("node-1"));

        node1.updateHostReplication("failed-over", null, List.of(volume));

        assertTrue(Files.exists(atC), "the copy is kept: the full compare writes only what differs");
        assertFalse(Files.exists(ExtentReplicator.metadataFile(siteC, volume.id())), "its sync record is not");
        ReplicationReport report = node1.replicate(List.of(volume), () -> true);
        assertEquals(List.of(volume.id()), synced(report));
        assertEquals(2 * MIB, report.bytesCopied(), "the two stale extents, nothing else");
        assertEquals(-1L, Files.mismatch(atB, atC), "C equals B byte for byte");
    }

    @Test
    void withAnActiveBackendIdTheNodeServesATargetAndNothingIsDone() throws Exception {
        VolumeSpec volume = replicated();
        servingBWith(volume);
        node1.reconfigure(context("node-1", siteA, "b", b, c)); // C is a target too, still serving B

        HostReplicationUpdate update = node1.updateHostReplication("failed-over", "b", List.of(volume));

        assertEquals(new HostReplicationUpdate("failed-over", "b", List.of()), update);
        try (Stream<Path> atC = Files.list(siteC)) {
            assertEquals(List.of(), atC.toList(), "nothing was prepared at C");
        }
    }

    @Test
    void updatingAsThePrimaryIsRefusedWhileANodeServesATarget() throws Exception {
        VolumeSpec volume = replicated();
        servingBWith(volume);

        DriverException refused = assertThrows(
                DriverException.class, () -> node1.updateHostReplication("updating", null, List.of(volume)));

        assertTrue(refused.getMessage().contains("serves site 'b'"), refused.getMessage());
    }

    @Test
    void aTargetInThePrimarysOwnDirectoryIsRefused() throws Exception {
        VolumeSpec volume = replicated();
        servingBWith(volume);
        // The operator kept B in the targets while making it the primary.
        node1.reconfigure(context("node-1", siteB, null, b));

        DriverException refused = assertThrows(
                DriverException.class, () -> node1.updateHostReplication("failed-over", null, List.of(volume)));

        assertTrue(refused.getMessage().contains("site 'b'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("is the primary's"), refused.getMessage());
    }

    @Test
    void reconfigureToAMissingDirectoryChangesNothing() throws Exception {
        VolumeSpec volume = replicated();
        servingBWith(volume);
        Path missing = dir.resolve("b-not-mounted");

        DriverException refused =
                assertThrows(DriverException.class, () -> node1.reconfigure(context("node-1", missing, null, c)));

        assertTrue(refused.getMessage().contains(missing.toString()), refused.getMessage());
        assertFalse(Files.exists(missing));
        assertEquals("b", node1.initializeConnection(volume).data().get("site"), "still serving B as A's target");
        assertThrows(DriverException.class, () -> node1.replicate(List.of(volume), () -> true), "not the primary");
        node1.reconfigure(promoted("node-1"));
        assertEquals("default", node1.initializeConnection(volume).data().get("site"));
    }

    @Test
    void reconfigureStopsACopyInFlight() throws Exception {
        VolumeSpec volume = replicated();
        servingBWith(volume);
        node1.reconfigure(promoted("node-1"));
        node1.updateHostReplication("failed-over", null, List.of(volume));
        AtomicBoolean reconfigured = new AtomicBoolean();

        // The cycle asks keepGoing with the volume about to be copied; the reconfigure it runs then stops that copy.
        ReplicationReport stopped = node1.replicate(List.of(volume), () -> {
            if (reconfigured.compareAndSet(false, true)) {
                node1.reconfigure(promoted("node-1"));
            }
            return true;
        });

        assertTrue(reconfigured.get());
        assertEquals(List.of(), stopped.synced());
        assertEquals(List.of(), stopped.failed(), "a stopped copy is no failure");
        assertFalse(
                Files.exists(ExtentReplicator.metadataFile(siteC, volume.id())),
                "nothing vouches for the cut copy, so the next cycle compares it in full");
    }

    @Test
    void operationsRunningDuringReconfigureKeepWorkingOnTheSameFiles() throws Exception {
        servingBWith();
        int workers = 4;
        int volumesEach = 24;
        CountDownLatch started = new CountDownLatch(workers);
        List<Future<List<String>>> work = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            SharedFilesystemDriver node = w % 2 == 0 ? node1 : node2;
            work.add(pool.submit(() -> {
                started.countDown();
                List<String> kept = new ArrayList<>();
                for (int i = 0; i < volumesEach; i++) {
                    VolumeSpec volume = new VolumeSpec(newId(), 1, null, true);
                    node.createVolume(volume);
                    node.extendVolume(volume, 2);
                    if (i % 2 == 0) {
                        node.deleteVolume(volume);
                    } else {
                        kept.add(volume.id());
                    }
                }
                return kept;
            }));
        }
        assertTrue(started.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
        // Back and forth between B served as A's target and B served as the primary: the same directory throughout.
        int switches = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!work.stream().allMatch(Future::isDone) || switches < 2) {
            assertTrue(System.nanoTime() - deadline < 0, "operations still running after " + switches + " switches");
            node1.reconfigure(switches % 2 == 0 ? promoted("node-1") : context("node-1", siteA, "b", b));
            node2.reconfigure(switches % 2 == 0 ? promoted("node-2") : context("node-2", siteA, "b", b));
            switches++;
        }

        List<String> kept = new ArrayList<>();
        for (Future<List<String>> future : work) {
            kept.addAll(future.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
        }
        assertEquals(workers * volumesEach / 2, kept.size());
        try (Stream<Path> files = Files.list(siteB.resolve("volumes"))) {
            assertEquals(
                    kept.stream().map(id -> "volume-" + id).sorted().toList(),
                    files.map(file -> file.getFileName().toString()).sorted().toList());
        }
        for (String id : kept) {
            assertEquals(2L << 30, Files.size(fileAt(siteB, id)));
        }
    }

    private static List<String> synced(ReplicationReport report) {
        return report.synced().stream().map(VolumeSync::volumeId).toList();
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
