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

import io.tandem.driver.ConnectionInfo;
import io.tandem.driver.DriverException;
import io.tandem.driver.FailoverResult;
import io.tandem.driver.InvalidReplicationTargetException;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.VolumeUpdate;
import io.tandem.driver.fs.replication.ExtentReplicator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover, failover completed and failback of the shared-filesystem driver: bytes written at site A are read back at
 * site B after a failover, and bytes written at B are read back at A after the failback.
 */
class SharedFilesystemFailoverTest {
    @TempDir
    Path dir;

    private Path siteA;
    private Path siteB;
    private ReplicationTarget b;
    private SharedFilesystemDriver node1;
    private SharedFilesystemDriver node2;

    @BeforeEach
    void setUpSites() throws IOException {
        siteA = Files.createDirectory(dir.resolve("a"));
        siteB = Files.createDirectory(dir.resolve("b"));
        b = new ReplicationTarget("b", siteB.toString());
        node1 = setUp(context("node-1", siteA, null, b));
        node2 = setUp(context("node-2", siteA, null, b));
    }

    /** A replicated volume with {@code text} at 3 MiB, copied to B by one replication cycle. */
    private VolumeSpec replicatedWith(String text) throws IOException {
        VolumeSpec volume = new VolumeSpec(newId(), 1, null, true);
        node1.createVolume(volume);
        write(fileAt(siteA, volume.id()), 3 * MIB, text);
        assertEquals(1, node1.replicate(List.of(volume), () -> true).synced().size());
        return volume;
    }

    @Test
    void failoverPromotesTheCopiesAndNonReplicatedVolumesGoToError() throws Exception {
        VolumeSpec replicated = replicatedWith("written at A");
        VolumeSpec plain = new VolumeSpec(newId(), 1, null, false);
        node1.createVolume(plain);
        // Written after the last cycle: the failover's last sync brings it along.
        write(fileAt(siteA, replicated.id()), 900 * MIB, "late write");

        FailoverResult result = node1.failover(List.of(replicated, plain), "b");

        assertEquals("b", result.activeBackendId());
        assertEquals(
                List.of(
                        new VolumeUpdate(
                                replicated.id(),
                                null,
                                "failed-over",
                                fileAt(siteB, replicated.id()).toString()),
                        new VolumeUpdate(plain.id(), "error", null, null)),
                result.volumeUpdates());
        assertEquals("late write", read(fileAt(siteB, replicated.id()), 900 * MIB, 10));
        assertEquals(
                fileAt(siteA, replicated.id()).toString(),
                node1.initializeConnection(replicated).data().get("path"),
                "failover alone does not move the data path");
    }

    @Test
    void failoverCompletedMovesEveryMembersDataPathToTheTarget() throws Exception {
        VolumeSpec volume = replicatedWith("written at A");
        node1.failover(List.of(volume), "b");

        node1.failoverCompleted("b");
        node2.failoverCompleted("b");
        node2.failoverCompleted("b"); // idempotent

        for (SharedFilesystemDriver node : List.of(node1, node2)) {
            ConnectionInfo info = node.initializeConnection(volume);
            assertEquals(Map.of("path", fileAt(siteB, volume.id()).toString(), "site", "b"), info.data());
            assertEquals("written at A", read(Path.of(info.data().get("path")), 3 * MIB, 12));
            assertEquals(siteB.toAbsolutePath(), node.layout().root());
        }
        VolumeSpec created = new VolumeSpec(newId(), 1, null, true);
        assertEquals(
                fileAt(siteB, created.id()).toString(),
                node2.createVolume(created).providerLocation(),
                "new volumes land on the active site");
    }

    @Test
    void failbackResyncsWhatWasWrittenAtTheTargetToThePrimary() throws Exception {
        VolumeSpec volume = replicatedWith("written at A");
        node1.failover(List.of(volume), "b");
        node1.failoverCompleted("b");
        write(fileAt(siteB, volume.id()), 3 * MIB, "WRITTEN AT B");
        write(fileAt(siteB, volume.id()), 1000 * MIB, "tail");

        FailoverResult result = node1.failover(List.of(volume), "default");

        assertNull(result.activeBackendId());
        assertEquals(
                List.of(new VolumeUpdate(
                        volume.id(), null, "enabled", fileAt(siteA, volume.id()).toString())),
                result.volumeUpdates());
        assertEquals("WRITTEN AT B", read(fileAt(siteA, volume.id()), 3 * MIB, 12));
        assertEquals("tail", read(fileAt(siteA, volume.id()), 1000 * MIB, 4));
        assertEquals("b", node1.initializeConnection(volume).data().get("site"), "failback alone moves nothing");

        node1.failoverCompleted(null);
        node2.failoverCompleted("default");

        assertEquals(
                fileAt(siteA, volume.id()).toString(),
                node1.initializeConnection(volume).data().get("path"));
        assertEquals("default", node2.initializeConnection(volume).data().get("site"));
        // Replication runs again from the primary, and finds B's copy already equal.
        assertEquals(0, node1.replicate(List.of(volume), () -> true).bytesCopied());
    }

    @Test
    void invalidTargetsAreRefusedAsSuch() {
        InvalidReplicationTargetException unknown =
                assertThrows(InvalidReplicationTargetException.class, () -> node1.failover(List.of(), "x"));
        assertTrue(unknown.getMessage().contains("'x'") && unknown.getMessage().contains("[b]"), unknown.getMessage());
        assertThrows(InvalidReplicationTargetException.class, () -> node1.failover(List.of(), "default"));
        assertThrows(InvalidReplicationTargetException.class, () -> node1.failover(List.of(), ""));
        assertThrows(InvalidReplicationTargetException.class, () -> node1.failover(List.of(), null));
        assertThrows(InvalidReplicationTargetException.class, () -> node1.failoverCompleted("x"));

        node1.failoverCompleted("b");

        InvalidReplicationTargetException active =
                assertThrows(InvalidReplicationTargetException.class, () -> node1.failover(List.of(), "b"));
        assertTrue(active.getMessage().contains("already the active site"), active.getMessage());
    }

    @Test
    void failoverIsIdempotentAndARepeatCopiesNothing() throws Exception {
        VolumeSpec volume = replicatedWith("written at A");
        FailoverResult first = node1.failover(List.of(volume), "b");
        Path copy = fileAt(siteB, volume.id());
        FileTime copyTime = Files.getLastModifiedTime(copy);
        FileTime metadataTime = Files.getLastModifiedTime(ExtentReplicator.metadataFile(siteB, volume.id()));

        FailoverResult second = node2.failover(List.of(volume), "b");

        assertEquals(first, second);
        assertEquals(copyTime, Files.getLastModifiedTime(copy), "no byte of the copy was rewritten");
        assertEquals(
                metadataTime,
                Files.getLastModifiedTime(ExtentReplicator.metadataFile(siteB, volume.id())),
                "not even the sync metadata");
    }

    @Test
    void aTargetWhoseDirectoryIsMissingIsNamedInTheError() throws Exception {
        Path siteC = dir.resolve("c-not-mounted");
        SharedFilesystemDriver node =
                setUp(context("node-1", siteA, null, b, new ReplicationTarget("c", siteC.toString())));
        VolumeSpec volume = new VolumeSpec(newId(), 1, null, true);
        node.createVolume(volume);

        DriverException failover = assertThrows(DriverException.class, () -> node.failover(List.of(volume), "c"));
        DriverException completed = assertThrows(DriverException.class, () -> node.failoverCompleted("c"));

        assertFalse(failover instanceof InvalidReplicationTargetException, "a known target, just unreachable");
        assertTrue(failover.getMessage().contains(siteC.toString()), failover.getMessage());
        assertTrue(completed.getMessage().contains(siteC.toString()), completed.getMessage());
        assertFalse(Files.exists(siteC));
        assertEquals("default", node.initializeConnection(volume).data().get("site"), "still serving A");
    }

    @Test
    void aLostPrimaryIsFailedOverFromTheCopiesAtTheTarget() throws Exception {
        VolumeSpec volume = replicatedWith("written at A");
        VolumeSpec neverCopied = new VolumeSpec(newId(), 1, null, true);
        node1.createVolume(neverCopied);
        deleteRecursively(siteA);

        FailoverResult result = node1.failover(List.of(volume, neverCopied), "b");
        node1.failoverCompleted("b");

        assertEquals("b", result.activeBackendId());
        assertEquals(
                List.of(
                        new VolumeUpdate(
                                volume.id(),
                                null,
                                "failed-over",
                                fileAt(siteB, volume.id()).toString()),
                        new VolumeUpdate(neverCopied.id(), "error", null, null)),
                result.volumeUpdates());
        Path path = Path.of(node1.initializeConnection(volume).data().get("path"));
        assertEquals("written at A", read(path, 3 * MIB, 12));
        assertFalse(Files.exists(siteA), "nothing is recreated at the lost site");
    }

    @Test
    void failbackToALostPrimaryNamesItsDirectory() throws Exception {
        VolumeSpec volume = replicatedWith("written at A");
        node1.failover(List.of(volume), "b");
        node1.failoverCompleted("b");
        deleteRecursively(siteA);

        DriverException refused = assertThrows(DriverException.class, () -> node1.failover(List.of(volume), "default"));

        assertTrue(refused.getMessage().contains(siteA.toAbsolutePath().toString()), refused.getMessage());
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
