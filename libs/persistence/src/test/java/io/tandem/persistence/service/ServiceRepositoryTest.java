package io.tandem.persistence.service;

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

class ServiceRepositoryTest {
    private static final int THREADS = 12;
    private static final int ROUNDS = 50;

    private static HikariDataSource pool;
    private static ServiceRepository services;

    @BeforeAll
    static void start() {
        pool = TestDatabases.pool(TestDatabases.migrated(), THREADS);
        services = new ServiceRepository(pool);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void registersFindsAndListsByCluster() {
        ServiceRow first = services.upsert("n1@fs", "volume", "reg@fs");
        ServiceRow second = services.upsert("n2@fs", "volume", "reg@fs");
        ServiceRow alone = services.upsert("solo@fs", "volume", null);
        ServiceRow scheduler = services.upsert("n1@fs", "scheduler", null);

        assertEquals("not-capable", first.replicationStatus());
        assertFalse(first.disabled());
        assertNull(alone.clusterName());
        assertTrue(first.id() != scheduler.id(), "host and binary together identify a service");
        assertEquals(first, services.findById(first.id()).orElseThrow());
        assertEquals(second, services.find("n2@fs", "volume").orElseThrow());
        assertTrue(services.find("n2@fs", "api").isEmpty());
        assertTrue(services.findById(-1).isEmpty());
        assertEquals(List.of(first, second), services.listByCluster("reg@fs"));
        assertTrue(services.list().containsAll(List.of(first, second, alone, scheduler)));
    }

    @Test
    void aRestartKeepsTheIdAndTakesTheConfiguredCluster() {
        ServiceRow before = services.upsert("mover@fs", "volume", "old@fs");
        ServiceRow after = services.upsert("mover@fs", "volume", "new@fs");

        assertEquals(before.id(), after.id());
        assertEquals("new@fs", after.clusterName());
        assertTrue(!after.updatedAt().isBefore(before.updatedAt()));
        assertEquals(List.of(), services.listByCluster("old@fs"));
    }

    /** A node restarted twice at once (or two processes misconfigured with one host): one row, one id for all. */
    @Test
    void racingUpsertsCreateExactlyOneRowAndAllSeeIt() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                String host = "race-" + round + "@fs";
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<ServiceRow>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    results.add(executor.submit(() -> {
                        TestDatabases.await(start);
                        return services.upsert(host, "volume", "race@fs");
                    }));
                }
                Set<Integer> ids = new HashSet<>();
                for (Future<ServiceRow> result : results) {
                    ids.add(result.get(TestDatabases.BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .id());
                }
                assertEquals(1, ids.size(), "round " + round + ": every caller sees the same service");
                long rows = services.list().stream()
                        .filter(s -> s.host().equals(host))
                        .count();
                assertEquals(1, rows, "round " + round + ": exactly one row");
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
