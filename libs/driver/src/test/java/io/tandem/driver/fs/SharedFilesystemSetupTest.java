package io.tandem.driver.fs;

import static io.tandem.driver.fs.Sites.context;
import static io.tandem.driver.fs.Sites.newId;
import static io.tandem.driver.fs.Sites.setUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.DriverContext;
import io.tandem.driver.DriverException;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.VolumeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** doSetup: which site a node serves, and refusing sites it cannot use. */
class SharedFilesystemSetupTest {
    @TempDir
    Path dir;

    @Test
    void setupCreatesTheVolumesDirectoryAndLeavesNothingElse() throws Exception {
        Path site = Files.createDirectory(dir.resolve("site-a"));

        setUp(context("node-1", site, null));

        assertEquals(List.of(site.resolve("volumes")), Files.list(site).toList());
        assertEquals(List.of(), Files.list(site.resolve("volumes")).toList(), "the write probe is removed");
    }

    @Test
    void anActiveTargetIsServedFromItsOwnDirectory() throws Exception {
        Path primary = Files.createDirectory(dir.resolve("site-a"));
        Path secondary = Files.createDirectory(dir.resolve("site-b"));
        ReplicationTarget b = new ReplicationTarget("site-b", secondary.toString());
        SharedFilesystemDriver driver = setUp(context("node-1", primary, "site-b", b));
        String id = newId();
        VolumeSpec spec = new VolumeSpec(id, 1, null, false);

        String location = driver.createVolume(spec).providerLocation();

        Path expected = secondary.resolve("volumes").resolve("volume-" + id);
        assertEquals(expected.toString(), location);
        assertTrue(Files.exists(expected));
        assertFalse(Files.exists(primary.resolve("volumes")), "the primary is not touched");
        assertEquals(
                Map.of("path", expected.toString(), "site", "site-b"),
                driver.initializeConnection(spec).data());
    }

    @Test
    void defaultNamesThePrimary() throws Exception {
        Path primary = Files.createDirectory(dir.resolve("site-a"));
        ReplicationTarget b =
                new ReplicationTarget("site-b", dir.resolve("site-b").toString());

        SharedFilesystemDriver driver = setUp(context("node-1", primary, "default", b));

        assertEquals(primary.toAbsolutePath(), driver.layout().root());
    }

    @Test
    void anUnknownActiveBackendIdIsRefusedByName() throws Exception {
        Path primary = Files.createDirectory(dir.resolve("site-a"));
        ReplicationTarget b = new ReplicationTarget("site-b", dir.toString());

        DriverException refused =
                assertThrows(DriverException.class, () -> setUp(context("node-1", primary, "site-x", b)));

        assertTrue(refused.getMessage().contains("'site-x'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("site-b"), refused.getMessage());
    }

    @Test
    void aMissingSiteDirectoryIsRefusedByPath() {
        Path missing = dir.resolve("nowhere");

        DriverException refused = assertThrows(DriverException.class, () -> setUp(context("node-1", missing, null)));

        assertTrue(refused.getMessage().contains(missing.toString()), refused.getMessage());
        assertFalse(Files.exists(missing), "setup does not invent a site");
    }

    @Test
    void aSiteUnderARegularFileIsRefusedByPath() throws Exception {
        // Root ignores permission bits, so an impossible path stands in for an unwritable one.
        Path file = Files.createFile(dir.resolve("plain-file"));
        Path impossible = file.resolve("site");

        DriverException refused = assertThrows(DriverException.class, () -> setUp(context("node-1", impossible, null)));

        assertTrue(refused.getMessage().contains(impossible.toString()), refused.getMessage());
    }

    @Test
    void aSiteWhoseVolumesDirectoryCannotBeMadeIsRefusedAsNotWritable() throws Exception {
        Path site = Files.createDirectory(dir.resolve("site-a"));
        Files.createFile(site.resolve("volumes"));

        DriverException refused = assertThrows(DriverException.class, () -> setUp(context("node-1", site, null)));

        assertTrue(refused.getMessage().contains("not writable"), refused.getMessage());
        assertTrue(refused.getMessage().contains(site.toString()), refused.getMessage());
    }

    @Test
    void aSiteWithoutADirectoryIsRefused() {
        DriverContext noLocation = new DriverContext("node-1@backend", "backend", null, null, List.of(), Map.of());

        DriverException refused = assertThrows(DriverException.class, () -> setUp(noLocation));

        assertTrue(refused.getMessage().contains("'default'"), refused.getMessage());
    }

    @Test
    void operationsBeforeSetupAreRefused() {
        SharedFilesystemDriver driver = new SharedFilesystemDriver();

        assertThrows(DriverException.class, () -> driver.createVolume(new VolumeSpec(newId(), 1, null, false)));
        assertThrows(DriverException.class, driver::capacity);
    }
}
