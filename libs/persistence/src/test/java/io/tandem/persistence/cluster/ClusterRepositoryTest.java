package io.tandem.persistence.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.tandem.persistence.TestDatabases;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClusterRepositoryTest {
    private static final int THREADS = 12;
    private static final int ROUNDS = 50;

    private static HikariDataSource pool;
    private static ClusterRepository clusters;

    @BeforeAll
    static void start() {
        pool = TestDatabases.pool(TestDatabases.migrated(), THREADS);
        clusters = new ClusterRepository(pool);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void createsWithDefaultsAndFindsAndLists() {
        ClusterRow created = clusters.createIfMissing("defaults@fs", "volume");

        assertFalse(created.disabled());
        assertNull(created.disabledReason());
        assertEquals("not-capable", created.replicationStatus());
        assertNull(created.activeBackendId(), "NULL is the primary");
        assertFalse(created.frozen());
        assertEquals(0, created.epoch());
        assertEquals(created, clusters.createIfMissing("defaults@fs", "volume"), "the second call creates nothing");
        assertEquals(created, clusters.find("defaults@fs", "volume").orElseThrow());
        assertTrue(clusters.find("defaults@fs", "scheduler").isEmpty());
        assertTrue(clusters.list().contains(created));
    }

    /** Every member of a new cluster starts at once: one row, and every member sees the same id. */
    @Test
    void racingCreatorsCreateExactlyOneRowAndAllSeeIt() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String name = "race-" + round + "@fs";
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<ClusterRow>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    results.add(executor.submit(() -> {
                        TestDatabases.await(start);
                        return clusters.createIfMissing(name, "volume");
                    }));
                }
                Set<Long> ids = new HashSet<>();
                for (Future<ClusterRow> result : results) {
                    ids.add(result.get(TestDatabases.BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .id());
                }
                assertEquals(1, ids.size(), "round " + round + ": every caller sees the same cluster");
                long rows = clusters.list().stream()
                        .filter(c -> c.name().equals(name))
                        .count();
                assertEquals(1, rows, "round " + round + ": exactly one row");
                assertEquals(
                        ids.iterator().next(),
                        clusters.find(name, "volume").orElseThrow().id());
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
