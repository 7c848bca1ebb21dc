package io.tandem.driver.fs.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.fs.SiteLayout;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incremental sync of sparse volume files between two real site directories. */
class ExtentReplicatorTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path sourceSite;

    @TempDir
    Path targetSite;

    private final ExtentReplicator replicator = new ExtentReplicator(MIB);
    private String id;
    private Path source;
    private Path target;

    @BeforeEach
    void createVolume() throws IOException {
        id = UUID.randomUUID().toString();
        source = SiteLayout.at(sourceSite).volumeFile(id);
        target = SiteLayout.at(targetSite).volumeFile(id);
        Files.createDirectories(source.getParent());
        resize(source, 64L * MIB);
        write(source, 0, bytes(100, 1));
        write(source, 10L * MIB + 5, bytes(4096, 2));
        write(source, 40L * MIB - 10, bytes(20, 3)); // straddles extents 39 and 40
    }

    @Test
    void firstSyncCopiesOnlyWrittenExtentsAndKeepsHoles() throws Exception {
        SyncResult result = replicator.sync(source, target);

        assertEquals(4, result.extentsCopied());
        assertEquals(4L * MIB, result.bytesCopied());
        assertEquals(64, result.extentsScanned());
        assertSameContents();
        long allocated = allocatedBytes(target);
        assertTrue(allocated <= 8L * MIB, "target should be sparse, but " + allocated + " bytes are allocated");
        assertTrue(Files.exists(ExtentReplicator.metadataFile(targetSite, id)));
    }

    @Test
    void idleVolumeCopiesNothing() throws Exception {
        replicator.sync(source, target);
        Path meta = ExtentReplicator.metadataFile(targetSite, id);
        FileTime metaTime = Files.getLastModifiedTime(meta);

        SyncResult idle = replicator.sync(source, target);

        assertEquals(0, idle.bytesCopied());
        assertEquals(0, idle.extentsCopied());
        assertEquals(64, idle.extentsScanned());
        assertEquals(metaTime, Files.getLastModifiedTime(meta), "an idle sync rewrites nothing");
    }

    @Test
    void oneChangedByteCopiesOneExtent() throws Exception {
        replicator.sync(source, target);
        write(source, 33L * MIB + 777, new byte[] {42});

        SyncResult result = replicator.sync(source, target);

        assertEquals(1, result.extentsCopied());
        assertEquals(MIB, result.bytesCopied());
        assertSameContents();
        assertEquals(0, replicator.sync(source, target).bytesCopied());
    }

    @Test
    void extentThatBecameZeroIsZeroedInTarget() throws Exception {
        replicator.sync(source, target);
        write(source, 10L * MIB + 5, new byte[4096]);

        SyncResult result = replicator.sync(source, target);

        assertEquals(1, result.extentsCopied());
        assertSameContents();
    }

    @Test
    void targetFollowsSourceLengthUpAndDown() throws Exception {
        replicator.sync(source, target);
        long grown = 100L * MIB + 123; // not a whole number of extents
        resize(source, grown);
        write(source, grown - 3, bytes(3, 9));

        SyncResult growth = replicator.sync(source, target);

        assertEquals(grown, Files.size(target));
        assertEquals(1, growth.extentsCopied(), "only the written tail extent; the rest of the growth is a hole");
        assertEquals(101, growth.extentsScanned());
        assertSameContents();
        assertEquals(0, replicator.sync(source, target).bytesCopied());

        long shrunk = 10L * MIB + 7;
        resize(source, shrunk);
        replicator.sync(source, target);
        assertEquals(shrunk, Files.size(target));
        assertSameContents();
        assertEquals(0, replicator.sync(source, target).bytesCopied());
    }

    @Test
    void missingMetadataFallsBackToFullCompare() throws Exception {
        replicator.sync(source, target);
        Files.delete(ExtentReplicator.metadataFile(targetSite, id));
        write(source, 50L * MIB, bytes(10, 5));

        SyncResult result = replicator.sync(source, target);

        assertEquals(1, result.extentsCopied(), "the compare with the target's bytes finds the one difference");
        assertSameContents();
        assertTrue(Files.exists(ExtentReplicator.metadataFile(targetSite, id)));
        assertEquals(0, replicator.sync(source, target).bytesCopied());
    }

    @Test
    void corruptMetadataIsDetectedAndIgnored() throws Exception {
        replicator.sync(source, target);
        Path meta = ExtentReplicator.metadataFile(targetSite, id);
        byte[] bad = Files.readAllBytes(meta);
        bad[bad.length / 2] ^= 0x5a; // inside the checksums; the trailing CRC catches it
        Files.write(meta, bad);
        write(source, 20L * MIB, bytes(10, 6));

        replicator.sync(source, target);
        assertSameContents();

        Files.write(meta, "not metadata".getBytes(StandardCharsets.UTF_8)); // truncated/garbage
        write(source, 21L * MIB, bytes(10, 7));
        replicator.sync(source, target);
        assertSameContents();
        assertEquals(0, replicator.sync(source, target).bytesCopied());
    }

    @Test
    void tamperedOrMissingTargetIsRepaired() throws Exception {
        replicator.sync(source, target);
        write(target, 10L * MIB + 100, bytes(50, 8)); // someone wrote the copy: metadata no longer describes it
        Files.setLastModifiedTime(target, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

        assertEquals(1, replicator.sync(source, target).extentsCopied());
        assertSameContents();

        Files.delete(target); // the copy is gone, its metadata is left
        assertEquals(4, replicator.sync(source, target).extentsCopied());
        assertSameContents();
    }

    @Test
    void syncSiteSumsVolumesAndForgetRemovesCopyAndMetadata() throws Exception {
        String other = UUID.randomUUID().toString();
        Path otherSource = SiteLayout.at(sourceSite).volumeFile(other);
        resize(otherSource, 3L * MIB);
        write(otherSource, MIB, bytes(1, 4));

        SyncResult result = replicator.syncSite(sourceSite, targetSite, List.of(id, other));

        assertEquals(5, result.extentsCopied());
        assertEquals(67, result.extentsScanned());
        assertEquals(
                0,
                replicator.syncSite(sourceSite, targetSite, List.of(id, other)).bytesCopied());

        replicator.forget(targetSite, id);
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(ExtentReplicator.metadataFile(targetSite, id)));
        assertTrue(Files.exists(SiteLayout.at(targetSite).volumeFile(other)));
        replicator.forget(targetSite, id); // nothing left: still fine
    }

    @Test
    void forgetSyncStateKeepsTheCopyAndMakesTheNextSyncCompareItsBytes() throws Exception {
        replicator.sync(source, target);
        // The copy goes stale behind the metadata's back: its mtime is put back, so the metadata still vouches for it.
        FileTime synced = Files.getLastModifiedTime(target);
        write(target, 10L * MIB + 100, bytes(50, 8));
        Files.setLastModifiedTime(target, synced);
        assertEquals(0, replicator.sync(source, target).bytesCopied(), "trusted metadata hides the stale extent");

        assertTrue(replicator.forgetSyncState(targetSite, id));

        assertTrue(Files.exists(target), "the copy is kept");
        assertFalse(Files.exists(ExtentReplicator.metadataFile(targetSite, id)));
        assertFalse(replicator.forgetSyncState(targetSite, id), "nothing left to forget: still fine");
        SyncResult full = replicator.sync(source, target);
        assertEquals(1, full.extentsCopied(), "the byte compare rewrites only the stale extent");
        assertSameContents();
    }

    @Test
    void idleOneGibVolume() throws Exception {
        resize(source, 1L << 30);
        write(source, 700L * MIB, bytes(4096, 11));
        SyncResult first = replicator.sync(source, target);
        assertEquals(5, first.extentsCopied());

        long started = System.nanoTime();
        SyncResult idle = replicator.sync(source, target);
        long ms = (System.nanoTime() - started) / 1_000_000;

        assertEquals(0, idle.bytesCopied());
        assertEquals(1024, idle.extentsScanned());
        System.out.printf(
                "idle 1 GiB sparse volume: %d bytes copied, %d extents scanned, %d ms%n",
                idle.bytesCopied(), idle.extentsScanned(), ms);
    }

    @Test
    void aStoppedSyncWritesNoMetadataAndTheNextSyncFinishesTheCopy() throws Exception {
        int[] asked = {0};

        SyncStoppedException stopped =
                assertThrows(SyncStoppedException.class, () -> replicator.sync(source, target, () -> ++asked[0] <= 20));

        assertTrue(stopped.getMessage().contains("after 20 of 64 extents"), stopped.getMessage());
        assertFalse(Files.exists(ExtentReplicator.metadataFile(targetSite, id)), "nothing vouches for a partial copy");
        assertEquals(40L * MIB - 10, Files.mismatch(source, target), "extents 0 and 10 were copied, 39 and 40 not");

        SyncResult rest = replicator.sync(source, target);

        assertEquals(2, rest.extentsCopied(), "a byte compare finds what is left: extents 39 and 40");
        assertSameContents();
    }

    private void assertSameContents() throws IOException {
        assertEquals(Files.size(source), Files.size(target));
        assertEquals(-1L, Files.mismatch(source, target), "target differs from source");
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i % 251 + 1);
        }
        return b;
    }

    private static void write(Path file, long offset, byte[] data) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(data);
        }
    }

    private static void resize(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    /** Allocated bytes from stat(1): Java's "unix" attribute view has no block count. */
    private static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, stat.waitFor(), "stat " + file + ": " + out);
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
