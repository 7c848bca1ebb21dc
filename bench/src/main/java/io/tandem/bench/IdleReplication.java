package io.tandem.bench;

import io.tandem.driver.DriverContext;
import io.tandem.driver.ReplicationReport;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.fs.SharedFilesystemDriver;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What a replication cycle of the shared-filesystem driver copies: a fresh 1 GiB volume with 4 MiB written (first
 * cycle), the same volume idle (should copy zero bytes), then after a one-byte write (one extent). Runs the driver
 * directly on two site directories, as the replicator member does.
 */
final class IdleReplication {
    private static final int SIZE_GB = 1;

    private IdleReplication() {}

    static void run(Path directory) throws IOException {
        Path primary = Files.createDirectories(directory.resolve("primary"));
        Path secondary = Files.createDirectories(directory.resolve("secondary"));
        try (SharedFilesystemDriver driver = new SharedFilesystemDriver()) {
            driver.doSetup(new DriverContext(
                    "bench@fs",
                    "fs",
                    null,
                    primary.toString(),
                    List.of(new ReplicationTarget("secondary", secondary.toString())),
                    Map.of()));
            VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), SIZE_GB, null, true);
            Path file = Path.of(driver.createVolume(volume).providerLocation());
            byte[] data = new byte[1 << 20];
            new java.util.Random(7).nextBytes(data);
            try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
                for (int i = 0; i < 4; i++) {
                    out.seek(i * 256L << 20);
                    out.write(data);
                }
            }
            System.out.printf(Locale.ROOT, "%nReplication cycles of one %d GiB volume (shared-filesystem)%n", SIZE_GB);
            System.out.printf(Locale.ROOT, "%-34s %14s %10s%n", "cycle", "bytes copied", "ms");
            cycle(driver, volume, "first (4 MiB written)");
            cycle(driver, volume, "idle");
            try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
                out.seek(512L << 20);
                out.write(1);
            }
            cycle(driver, volume, "after a one-byte write");
            cycle(driver, volume, "idle again");
        }
    }

    private static void cycle(SharedFilesystemDriver driver, VolumeSpec volume, String label) {
        long started = System.nanoTime();
        ReplicationReport report = driver.replicate(List.of(volume), () -> true);
        double millis = (System.nanoTime() - started) / 1e6;
        if (!report.failed().isEmpty()) {
            throw new IllegalStateException("replication failed: " + report.failed());
        }
        System.out.printf(Locale.ROOT, "%-34s %14d %10.1f%n", label, report.bytesCopied(), millis);
    }
}
