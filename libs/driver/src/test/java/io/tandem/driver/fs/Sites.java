package io.tandem.driver.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tandem.driver.DriverContext;
import io.tandem.driver.ReplicationTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Helpers for the shared-filesystem tests: contexts over temp directories and the blocks a file really uses. */
final class Sites {
    static final long GIB = 1L << 30;

    private Sites() {}

    static DriverContext context(String host, Path primary, String activeBackendId, ReplicationTarget... targets) {
        return new DriverContext(
                host + "@backend", "backend", activeBackendId, primary.toString(), List.of(targets), Map.of());
    }

    static SharedFilesystemDriver setUp(DriverContext context) {
        SharedFilesystemDriver driver = new SharedFilesystemDriver();
        driver.doSetup(context);
        return driver;
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Bytes the filesystem allocated to {@code file}, from stat(1): Java's "unix" attribute view has no block count,
     * and sparseness is exactly the difference between this and the length.
     */
    static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, stat.waitFor(), "stat " + file + ": " + out);
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }
}
