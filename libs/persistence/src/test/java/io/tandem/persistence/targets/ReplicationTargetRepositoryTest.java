package io.tandem.persistence.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.tandem.persistence.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Seeding a scope once, also when its members start together, and the reads of one scope and of several. */
class ReplicationTargetRepositoryTest {
    private static final int THREADS = 8;
    private static final SiteRow PRIMARY = new SiteRow("default", "/sites/a", true);
    // Seeded out of backend-id order: the one-scope read keeps the seed's order, the several-scope read sorts.
    private static final SiteRow ZULU = new SiteRow("zulu", "/sites/z", false);
    private static final SiteRow ALPHA = new SiteRow("alpha", "/sites/b", false);

    private static HikariDataSource pool;
    private static ReplicationTargetRepository targets;

    @BeforeAll
    static void start() {
        pool = TestDatabases.pool(TestDatabases.migrated(), THREADS);
        targets = new ReplicationTargetRepository(pool);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void seedsAnEmptyScopeOnlyAndReadsThePrimaryFirst() {
        assertEquals(3, targets.seedIfEmpty("c1@fs", List.of(PRIMARY, ZULU, ALPHA)));
        assertEquals(
                0,
                targets.seedIfEmpty("c1@fs", List.of(new SiteRow("other", "/sites/o", false))),
                "a scope with rows is never seeded again");
        assertEquals(0, targets.seedIfEmpty("c-empty@fs", List.of()), "nothing to seed");

        assertEquals(List.of(PRIMARY, ZULU, ALPHA), targets.sites("c1@fs"), "targets in table order");
        assertTrue(targets.sites("c-empty@fs").isEmpty());
    }

    @Test
    void readsSeveralScopesInOneQuery() {
        targets.seedIfEmpty("c2@fs", List.of(PRIMARY, ZULU, ALPHA));
        targets.seedIfEmpty("h3@fs", List.of(new SiteRow("site2", "/sites/h3", false)));

        Map<String, List<SiteRow>> byScope = targets.byScope(List.of("c2@fs", "h3@fs", "nothing@fs"));

        assertEquals(List.of(PRIMARY, ALPHA, ZULU), byScope.get("c2@fs"), "targets by backend id");
        assertEquals(List.of(new SiteRow("site2", "/sites/h3", false)), byScope.get("h3@fs"));
        assertFalse(byScope.containsKey("nothing@fs"), "scopes without sites are absent");
        assertEquals(Map.of(), targets.byScope(List.of()));
    }

    /** Members of a cluster start together with the same configuration: all succeed, each row is inserted once. */
    @Test
    void racingSeedersInsertEachRowOnce() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(executor.submit(() -> {
                    TestDatabases.await(start);
                    return targets.seedIfEmpty("race@fs", List.of(PRIMARY, ZULU, ALPHA));
                }));
            }
            int inserted = 0;
            for (Future<Integer> result : results) {
                inserted += result.get(TestDatabases.BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            assertEquals(3, inserted);
            assertEquals(List.of(PRIMARY, ZULU, ALPHA), targets.sites("race@fs"));
        } finally {
            executor.shutdownNow();
        }
    }
}
