package io.tandem.driver.fs;

import static io.tandem.driver.fs.Sites.GIB;
import static io.tandem.driver.fs.Sites.context;
import static io.tandem.driver.fs.Sites.newId;
import static io.tandem.driver.fs.Sites.setUp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.VolumeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two driver instances (two nodes) on one site directory, working at once: distinct volumes in parallel, and the same
 * volume raced by both, which the control plane prevents but the driver must survive without corrupting anything.
 */
class SharedFilesystemConcurrencyTest {
    private static final int VOLUMES = 200;
    private static final int ROUNDS = 100;
    private static final long DEADLINE_SECONDS = 20;

    @TempDir
    Path site;

    private SharedFilesystemDriver[] nodes;
    private ExecutorService pool;

    @BeforeEach
    void setUpNodes() {
        nodes = new SharedFilesystemDriver[] {setUp(context("node-1", site, null)), setUp(context("node-2", site, null))
        };
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void twoNodesManagingDistinctVolumesAtOnceLeaveExactlyTheExpectedFiles() throws Exception {
        Map<String, Integer> survivors = new HashMap<>();
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < VOLUMES; i++) {
            String id = newId();
            int size = 1 + i % 3;
            SharedFilesystemDriver creator = nodes[i % 2];
            SharedFilesystemDriver other = nodes[(i + 1) % 2];
            boolean extend = i % 3 == 0;
            boolean delete = i % 2 == 0;
            if (!delete) {
                survivors.put(id, extend ? size + 1 : size);
            }
            work.add(pool.submit(() -> {
                VolumeSpec spec = new VolumeSpec(id, size, null, false);
                creator.createVolume(spec);
                if (extend) {
                    other.extendVolume(spec, size + 1);
                }
                if (delete) {
                    other.deleteVolume(spec);
                }
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        }

        assertEquals(survivors, volumesOnSite());
    }

    @Test
    void bothNodesRacingOnTheSameVolumeAlwaysSucceedAndLeaveAConsistentSite() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String id = newId();
            VolumeSpec spec = new VolumeSpec(id, 2, null, false);

            List<Object> created = race(() -> nodes[0].createVolume(spec), () -> nodes[1].createVolume(spec));
            assertEquals(created.get(0), created.get(1), "both creates name the same file");
            assertEquals(Map.of(id, 2), volumesOnSite());

            race(() -> extend(nodes[0], spec, 3), () -> extend(nodes[1], spec, 3));
            assertEquals(Map.of(id, 3), volumesOnSite());

            race(() -> delete(nodes[0], spec), () -> delete(nodes[1], spec));
            assertEquals(Map.of(), volumesOnSite());

            // Create against delete: either may win, but the result is a whole volume or none.
            race(() -> nodes[0].createVolume(spec), () -> delete(nodes[1], spec));
            Map<String, Integer> left = volumesOnSite();
            assertTrue(left.isEmpty() || left.equals(Map.of(id, 2)), "round " + round + ": " + left);
            delete(nodes[0], spec);
        }
    }

    /** Runs both actions on two threads released together; both must return normally. */
    private List<Object> race(Callable<?> first, Callable<?> second) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<?>> both = Stream.of(first, second)
                .map(action -> pool.submit(() -> {
                    start.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
                    return action.call();
                }))
                .collect(Collectors.toList());
        List<Object> results = new ArrayList<>();
        for (Future<?> future : both) {
            results.add(future.get(DEADLINE_SECONDS, TimeUnit.SECONDS));
        }
        return results;
    }

    private static Object extend(SharedFilesystemDriver node, VolumeSpec spec, int sizeGb) {
        node.extendVolume(spec, sizeGb);
        return null;
    }

    private static Object delete(SharedFilesystemDriver node, VolumeSpec spec) {
        node.deleteVolume(spec);
        return null;
    }

    /** Volume id → size in GiB of every entry under volumes/; anything that is not a whole-GiB volume file fails. */
    private Map<String, Integer> volumesOnSite() throws Exception {
        Map<String, Integer> volumes = new HashMap<>();
        try (Stream<Path> files = Files.list(site.resolve("volumes"))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                assertTrue(name.startsWith("volume-"), "unexpected entry " + name);
                long size = Files.size(file);
                assertEquals(0, size % GIB, name + " has a partial size " + size);
                assertFalse(volumes.containsKey(name.substring(7)));
                volumes.put(name.substring(7), (int) (size / GIB));
            }
        }
        return volumes;
    }
}
