package io.tandem.driver.fs;

import static io.tandem.driver.fs.Sites.GIB;
import static io.tandem.driver.fs.Sites.allocatedBytes;
import static io.tandem.driver.fs.Sites.context;
import static io.tandem.driver.fs.Sites.newId;
import static io.tandem.driver.fs.Sites.setUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.CapacityReport;
import io.tandem.driver.ConnectionInfo;
import io.tandem.driver.DriverException;
import io.tandem.driver.InvalidReplicationTargetException;
import io.tandem.driver.VolumeLocation;
import io.tandem.driver.VolumeSpec;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volume operations of the shared-filesystem driver on a real directory. */
class SharedFilesystemDriverTest {
    @TempDir
    Path site;

    private SharedFilesystemDriver driver;

    @BeforeEach
    void setUpDriver() {
        driver = setUp(context("node-1", site, null));
    }

    private Path fileOf(String id) {
        return site.resolve("volumes").resolve("volume-" + id);
    }

    @Test
    void createMakesASparseFileOfTheVolumeSizeAndReturnsItsAbsolutePath() throws Exception {
        String id = newId();
        VolumeLocation location = driver.createVolume(new VolumeSpec(id, 10, null, false));

        Path file = fileOf(id);
        assertEquals(file.toAbsolutePath().toString(), location.providerLocation());
        assertEquals(10 * GIB, Files.size(file));
        assertTrue(allocatedBytes(file) < 1 << 20, "a new volume allocates no data blocks: " + allocatedBytes(file));

        // The measurement can see allocation, so the assertion above is not vacuous.
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(5 * GIB);
            raf.write(new byte[1 << 20]);
        }
        assertTrue(allocatedBytes(file) >= 1 << 20);
        assertEquals(10 * GIB, Files.size(file));
    }

    @Test
    void createIsIdempotentAndKeepsTheData() throws Exception {
        String id = newId();
        VolumeSpec spec = new VolumeSpec(id, 1, null, false);
        VolumeLocation first = driver.createVolume(spec);
        try (RandomAccessFile raf = new RandomAccessFile(fileOf(id).toFile(), "rw")) {
            raf.write("written".getBytes());
        }

        assertEquals(first, driver.createVolume(spec));
        assertEquals(GIB, Files.size(fileOf(id)));
        try (RandomAccessFile raf = new RandomAccessFile(fileOf(id).toFile(), "r")) {
            byte[] head = new byte[7];
            raf.readFully(head);
            assertEquals("written", new String(head));
        }
    }

    @Test
    void createAfterACrashBetweenCreateAndSizeFixesTheSize() throws Exception {
        String id = newId();
        Files.createDirectories(fileOf(id).getParent());
        Files.createFile(fileOf(id)); // what a crash right after create-new leaves

        driver.createVolume(new VolumeSpec(id, 3, null, false));

        assertEquals(3 * GIB, Files.size(fileOf(id)));
    }

    @Test
    void createOfAnExistingSmallerFileGrowsItAndOfALargerOneIsRefused() throws Exception {
        String id = newId();
        driver.createVolume(new VolumeSpec(id, 1, null, false));

        driver.createVolume(new VolumeSpec(id, 2, null, false));
        assertEquals(2 * GIB, Files.size(fileOf(id)));

        DriverException refused =
                assertThrows(DriverException.class, () -> driver.createVolume(new VolumeSpec(id, 1, null, false)));
        assertTrue(refused.getMessage().contains(fileOf(id).toString()), refused.getMessage());
        assertEquals(2 * GIB, Files.size(fileOf(id)), "a refused create leaves the file alone");
    }

    @Test
    void deleteRemovesTheFileAndAMissingVolumeIsNotAnError() {
        String id = newId();
        VolumeSpec spec = new VolumeSpec(id, 1, null, false);
        driver.createVolume(spec);

        driver.deleteVolume(spec);
        assertFalse(Files.exists(fileOf(id)));

        driver.deleteVolume(spec);
        driver.deleteVolume(new VolumeSpec(newId(), 1, null, false));
        assertFalse(Files.exists(fileOf(id)));
    }

    @Test
    void extendGrowsTheFileSparselyAndTheCurrentSizeIsAccepted() throws Exception {
        String id = newId();
        VolumeSpec spec = new VolumeSpec(id, 1, null, false);
        driver.createVolume(spec);

        driver.extendVolume(spec, 4);
        assertEquals(4 * GIB, Files.size(fileOf(id)));
        assertTrue(allocatedBytes(fileOf(id)) < 1 << 20);

        driver.extendVolume(new VolumeSpec(id, 4, null, false), 4);
        assertEquals(4 * GIB, Files.size(fileOf(id)));
    }

    @Test
    void extendToASmallerSizeOrOfAMissingVolumeIsRefused() throws Exception {
        String id = newId();
        VolumeSpec spec = new VolumeSpec(id, 2, null, false);
        driver.createVolume(spec);

        assertThrows(DriverException.class, () -> driver.extendVolume(spec, 1));
        assertEquals(2 * GIB, Files.size(fileOf(id)));

        String missing = newId();
        assertThrows(DriverException.class, () -> driver.extendVolume(new VolumeSpec(missing, 1, null, false), 2));
        assertFalse(Files.exists(fileOf(missing)), "a refused extend creates nothing");
    }

    @Test
    void volumeIdsThatAreNotUuidsAndNonPositiveSizesAreRefused() {
        assertThrows(DriverException.class, () -> driver.createVolume(new VolumeSpec("../escape", 1, null, false)));
        assertThrows(DriverException.class, () -> driver.deleteVolume(new VolumeSpec("a/b", 1, null, false)));
        assertThrows(DriverException.class, () -> driver.createVolume(new VolumeSpec(newId(), 0, null, false)));
        assertFalse(Files.exists(site.resolve("escape")));
    }

    @Test
    void upperCaseIdsNameTheSameFile() throws Exception {
        String id = newId();
        driver.createVolume(new VolumeSpec(id.toUpperCase(), 1, null, false));
        driver.createVolume(new VolumeSpec(id, 1, null, false));
        assertEquals(List.of(fileOf(id)), Files.list(site.resolve("volumes")).toList());
    }

    @Test
    void initializeConnectionGivesThePathOnTheActiveSite() {
        String id = newId();
        VolumeSpec spec = new VolumeSpec(id, 1, null, false);
        driver.createVolume(spec);

        ConnectionInfo info = driver.initializeConnection(spec);

        assertEquals("file", info.driverVolumeType());
        assertEquals(Map.of("path", fileOf(id).toString(), "site", "default"), info.data());
        assertThrows(DriverException.class, () -> driver.initializeConnection(new VolumeSpec(newId(), 1, null, false)));
    }

    @Test
    void capacityIsThatOfTheSitesFilesystem() throws Exception {
        CapacityReport capacity = driver.capacity();

        assertTrue(capacity.freeBytes() > 0, capacity.toString());
        assertTrue(capacity.freeBytes() <= capacity.totalBytes(), capacity.toString());
        assertEquals(Files.getFileStore(site).getTotalSpace(), capacity.totalBytes());
    }

    @Test
    void declaresActiveActiveAndItsReplication() {
        assertEquals("shared-filesystem", driver.capabilities().driverName());
        assertTrue(driver.capabilities().supportsActiveActive());
        assertTrue(driver.capabilities().supportsReplication());
        assertTrue(driver.capabilities().supportsActiveActiveReplication());
        assertThrows(InvalidReplicationTargetException.class, () -> driver.failover(List.of(), "b"));
    }
}
