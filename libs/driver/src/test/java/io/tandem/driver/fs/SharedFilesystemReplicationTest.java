package io.tandem.driver.fs;

import static io.tandem.driver.fs.Sites.context;
import static io.tandem.driver.fs.Sites.newId;
import static io.tandem.driver.fs.Sites.setUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.DriverException;
import io.tandem.driver.ReplicationReport;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.VolumeSync;
import io.tandem.driver.VolumeSyncFailure;
import io.tandem.driver.fs.replication.ExtentReplicator;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replication cycles of the shared-filesystem driver between real site directories. */
class SharedFilesystemReplicationTest {
    static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private Path siteA;
    private Path siteB;
    private ReplicationTarget b;
    private SharedFilesystemDriver driver;

    @BeforeEach
    void setUpSites() throws IOException {
        siteA = Files.createDirectory(dir.resolve("a"));
        siteB = Files.createDirectory(dir.resolve("b"));
        b = new ReplicationTarget("b", siteB.toString());
        driver = setUp(context("node-1", siteA, null, b));
    }

    static Path fileAt(Path site, String id) {
        return site.resolve("volumes").resolve("volume-" + id).toAbsolutePath();
    }

    static void write(Path file, long offset, String text) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    static String read(Path file, long offset, int length) throws IOException {
        byte[] bytes = new byte[length];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(offset);
            raf.readFully(bytes);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private VolumeSpec replicated(String id) {
        VolumeSpec volume = new VolumeSpec(id, 1, null, true);
        driver.createVolume(volume);
        return volume;
    }

    @Test
    void bytesWrittenAtTheActiveSiteAreReadableAtEveryTargetAndAnIdleCycleCopiesNothing() throws Exception {
        Path siteC = Files.createDirectory(dir.resolve("c"));
        driver = setUp(context("node-1", siteA, null, b, new ReplicationTarget("c", siteC.toString())));
        VolumeSpec volume = replicated(newId());
        write(fileAt(siteA, volume.id()), 5 * MIB + 3, "hello, site B");
        Instant before = Instant.now();

        ReplicationReport first = driver.replicate(List.of(volume), () -> true);

        assertEquals(List.of(), first.failed());
        assertEquals(
                List.of(volume.id()),
                first.synced().stream().map(VolumeSync::volumeId).toList());
        assertEquals(2 * MIB, first.bytesCopied(), "one 1 MiB extent to each of two targets");
        assertFalse(first.synced().get(0).syncedAt().isBefore(before));
        for (Path target : List.of(siteB, siteC)) {
            assertEquals("hello, site B", read(fileAt(target, volume.id()), 5 * MIB + 3, 13));
            assertEquals(Files.size(fileAt(siteA, volume.id())), Files.size(fileAt(target, volume.id())));
        }

        ReplicationReport idle = driver.replicate(List.of(volume), () -> true);

        assertEquals(0, idle.bytesCopied());
        assertEquals(1, idle.synced().size(), "an idle volume is still reported in sync");
        assertFalse(
                idle.synced().get(0).syncedAt().isBefore(first.synced().get(0).syncedAt()));
    }

    @Test
    void aChangedByteCopiesOneExtent() throws Exception {
        VolumeSpec volume = replicated(newId());
        driver.replicate(List.of(volume), () -> true);
        write(fileAt(siteA, volume.id()), 700 * MIB, "x");

        ReplicationReport report = driver.replicate(List.of(volume), () -> true);

        assertEquals(MIB, report.bytesCopied());
        assertEquals("x", read(fileAt(siteB, volume.id()), 700 * MIB, 1));
    }

    @Test
    void aVolumeMissingOnTheActiveSiteIsAFailureEntryAndNonReplicatedVolumesAreSkipped() {
        VolumeSpec missing = new VolumeSpec(newId(), 1, null, true);
        VolumeSpec notReplicated = new VolumeSpec(newId(), 1, null, false);
        driver.createVolume(notReplicated);
        VolumeSpec fine = replicated(newId());

        ReplicationReport report = driver.replicate(List.of(missing, notReplicated, fine), () -> true);

        assertEquals(
                List.of(fine.id()),
                report.synced().stream().map(VolumeSync::volumeId).toList());
        assertEquals(1, report.failed().size());
        VolumeSyncFailure failure = report.failed().get(0);
        assertEquals(missing.id(), failure.volumeId());
        assertTrue(failure.message().contains(fileAt(siteA, missing.id()).toString()), failure.message());
        assertFalse(Files.exists(fileAt(siteB, notReplicated.id())));
    }

    @Test
    void aMissingTargetDirectoryIsAFailureEntryNamingItAndIsNeverCreated() throws Exception {
        Path siteC = dir.resolve("c-not-mounted");
        driver = setUp(context("node-1", siteA, null, b, new ReplicationTarget("c", siteC.toString())));
        VolumeSpec volume = replicated(newId());
        write(fileAt(siteA, volume.id()), 0, "data");

        ReplicationReport report = driver.replicate(List.of(volume), () -> true);

        assertEquals(List.of(), report.synced());
        assertEquals(1, report.failed().size());
        String message = report.failed().get(0).message();
        assertTrue(message.contains(siteC.toString()) && message.contains("'c'"), message);
        assertFalse(Files.exists(siteC), "a missing site is not invented");
        assertEquals("data", read(fileAt(siteB, volume.id()), 0, 4), "the reachable target is still brought along");
    }

    @Test
    void keepGoingFalseStopsBetweenVolumes() throws Exception {
        VolumeSpec first = replicated(newId());
        VolumeSpec second = replicated(newId());
        VolumeSpec third = replicated(newId());
        Path firstDone = ExtentReplicator.metadataFile(siteB, first.id());

        ReplicationReport report = driver.replicate(List.of(first, second, third), () -> !Files.exists(firstDone));

        assertEquals(
                List.of(first.id()),
                report.synced().stream().map(VolumeSync::volumeId).toList());
        assertEquals(List.of(), report.failed(), "volumes not reached are neither synced nor failed");
        assertTrue(Files.exists(fileAt(siteB, first.id())));
        assertFalse(Files.exists(fileAt(siteB, second.id())));
        assertFalse(Files.exists(fileAt(siteB, third.id())));

        assertEquals(List.of(), driver.replicate(List.of(second), () -> false).synced());
    }

    @Test
    void replicationRunsOnlyWhileThePrimaryIsActive() {
        driver.failoverCompleted("b");

        DriverException refused = assertThrows(DriverException.class, () -> driver.replicate(List.of(), () -> true));

        assertTrue(refused.getMessage().contains("'b'"), refused.getMessage());
    }

    @Test
    void deletingAReplicatedVolumeRemovesItsCopiesToo() throws Exception {
        VolumeSpec volume = replicated(newId());
        write(fileAt(siteA, volume.id()), 0, "data");
        driver.replicate(List.of(volume), () -> true);
        assertTrue(Files.exists(ExtentReplicator.metadataFile(siteB, volume.id())));

        driver.deleteVolume(volume);

        assertFalse(Files.exists(fileAt(siteA, volume.id())));
        assertFalse(Files.exists(fileAt(siteB, volume.id())));
        assertFalse(Files.exists(ExtentReplicator.metadataFile(siteB, volume.id())));
        driver.deleteVolume(volume);
    }

    @Test
    void declaresActiveActiveReplication() {
        assertTrue(driver.capabilities().supportsActiveActive());
        assertTrue(driver.capabilities().supportsReplication());
        assertTrue(driver.capabilities().supportsActiveActiveReplication());
    }

    @Test
    void thawChecksThatTheActiveSiteIsStillThereAndFreezeNeedsNothing() throws Exception {
        driver.freezeBackend();
        driver.thawBackend();
        Files.delete(siteA.resolve("volumes"));
        Files.delete(siteA);

        DriverException refused = assertThrows(DriverException.class, driver::thawBackend);

        assertTrue(refused.getMessage().contains(siteA.toAbsolutePath().toString()), refused.getMessage());
    }
}
