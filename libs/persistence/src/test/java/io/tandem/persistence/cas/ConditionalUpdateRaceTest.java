package io.tandem.persistence.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.tandem.persistence.TestDatabases;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Status is the lock: many threads race the same transition on one row, round after round, and exactly one of them
 * wins each round. The row is reset between rounds and reloaded after each one.
 */
class ConditionalUpdateRaceTest {
    private static final int THREADS = 16;
    private static final int ROUNDS = 1_000;

    private static HikariDataSource pool;

    @BeforeAll
    static void start() {
        pool = TestDatabases.pool(TestDatabases.migrated(), THREADS + 1);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    @Test
    void exactlyOneThreadWinsEachRound() throws Exception {
        UUID volume = UUID.randomUUID();
        Transactions.withConnection(
                pool,
                c -> Queries.update(
                        c,
                        "INSERT INTO volumes (id, project_id, size_gb, status) VALUES (?, 'race', 1, 'available')",
                        volume));
        // The coordinator (this thread) is a party too: it resets the row before a round and checks it after.
        CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        CyclicBarrier done = new CyclicBarrier(THREADS + 1);
        AtomicIntegerArray won = new AtomicIntegerArray(THREADS);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> racers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int self = t;
                racers.add(executor.submit(() -> race(volume, self, start, done, won)));
            }
            for (int round = 0; round < ROUNDS; round++) {
                reset(volume, won);
                TestDatabases.await(start);
                TestDatabases.await(done);
                checkRound(volume, round, won);
            }
            for (Future<?> racer : racers) {
                racer.get(TestDatabases.BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static void race(UUID volume, int self, CyclicBarrier start, CyclicBarrier done, AtomicIntegerArray won) {
        for (int round = 0; round < ROUNDS; round++) {
            TestDatabases.await(start);
            int changed = ConditionalUpdate.table("volumes")
                    .eq("id", volume)
                    .in("status", List.of("available", "error"))
                    .setColumn("previous_status", "status")
                    .set("status", "deleting")
                    .set("description", "racer-" + self)
                    .execute(pool);
            won.set(self, changed);
            TestDatabases.await(done);
        }
    }

    private static void reset(UUID volume, AtomicIntegerArray won) {
        for (int t = 0; t < THREADS; t++) {
            won.set(t, -1);
        }
        int reset = ConditionalUpdate.table("volumes")
                .eq("id", volume)
                .set("status", "available")
                .set("previous_status", null)
                .set("description", null)
                .execute(pool);
        assertEquals(1, reset);
    }

    private static void checkRound(UUID volume, int round, AtomicIntegerArray won) {
        int winners = 0;
        int winner = -1;
        for (int t = 0; t < THREADS; t++) {
            int changed = won.get(t);
            assertTrue(changed == 0 || changed == 1, "round " + round + " racer " + t + " changed " + changed);
            if (changed == 1) {
                winners++;
                winner = t;
            }
        }
        assertEquals(1, winners, "round " + round + ": exactly one winner");
        String description = Transactions.withConnection(
                        pool,
                        c -> Queries.one(
                                c,
                                "SELECT status || '/' || previous_status || '/' || description FROM volumes WHERE id = ?",
                                row -> row.getString(1),
                                volume))
                .orElseThrow();
        assertEquals("deleting/available/racer-" + winner, description, "round " + round + ": the winner's row");
    }
}
