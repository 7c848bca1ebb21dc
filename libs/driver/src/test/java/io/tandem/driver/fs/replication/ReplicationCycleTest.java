package io.tandem.driver.fs.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.ReplicationReport;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.fs.SiteLayout;
import io.tandem.driver.support.ActiveSite;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cycle cut short by the driver's own check (its data path moved, a failover began) mid-copy. */
class ReplicationCycleTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path sourceSite;

    @TempDir
    Path targetSite;

    @Test
    void aCopyStoppedByTheDriversCheckIsReportedNeitherSyncedNorFailedAndReleasesTheLock() throws Exception {
        String id = UUID.randomUUID().toString();
        Path source = SiteLayout.at(sourceSite).volumeFile(id);
        Files.createDirectories(source.getParent());
        try (RandomAccessFile raf = new RandomAccessFile(source.toFile(), "rw")) {
            raf.setLength(64L * MIB);
            raf.seek(50L * MIB);
            raf.write(1);
        }
        ReentrantLock copies = new ReentrantLock();
        ReplicationCycle cycle = new ReplicationCycle(new ExtentReplicator(MIB), Clock.systemUTC(), copies);
        int[] checks = {0};

        ReplicationReport report = cycle.run(
                SiteLayout.at(sourceSite),
                List.of(new ActiveSite("b", targetSite.toString())),
                List.of(
                        new VolumeSpec(id, 1, null, true),
                        new VolumeSpec(UUID.randomUUID().toString(), 1, null, true)),
                () -> true,
                () -> ++checks[0] <= 10);

        assertEquals(List.of(), report.synced());
        assertEquals(List.of(), report.failed());
        assertTrue(checks[0] <= 12, "stopped at once, not after every volume: " + checks[0]);
        assertFalse(Files.exists(ExtentReplicator.metadataFile(targetSite, id)));
        assertFalse(copies.isLocked());
    }
}
