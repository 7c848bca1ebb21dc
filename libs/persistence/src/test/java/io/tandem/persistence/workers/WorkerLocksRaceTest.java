package io.tandem.persistence.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.tandem.core.retry.Backoff;
import io.tandem.persistence.TestDatabases;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The workers table as a lock, under real contention between nodes with their own connections. */
class WorkerLocksRaceTest {
    private static final String RESOURCE = "contended-volume";
    private static final int NODES = 2;
    private static final int THREADS_PER_NODE = 2;
    private static final int ACQUISITIONS_PER_THREAD = 250;
    private static final int CLAIMERS = 8;
    private static final int CLAIM_ROUNDS = 300;
    // Patient enough that contention never exhausts the attempts; the bounded give-up is tested separately.
    private static final Backoff PATIENT = new Backoff(100_000, Duration.ofMillis(1), Duration.ofMillis(4));

    private static TestDatabase database;
    private static HikariDataSource claimerPool;

    @BeforeAll
    static void start() {
        database = TestDatabases.migrated();
        claimerPool = TestDatabases.pool(database, CLAIMERS + 1);
    }

    @AfterAll
    static void stop() {
        claimerPool.close();
    }

    @Test
    void twoNodesContendingForOneResourceNeverHoldItTogether() throws Exception {
        ServiceRepository services = new ServiceRepository(claimerPool);
        CriticalSection section = new CriticalSection();
        List<HikariDataSource> nodePools = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(NODES * THREADS_PER_NODE);
        try {
            CyclicBarrier start = new CyclicBarrier(NODES * THREADS_PER_NODE);
            List<Future<?>> threads = new ArrayList<>();
            for (int node = 0; node < NODES; node++) {
                int serviceId = services.upsert("mutex-" + node + "@fs", "volume", "mutex@fs")
                        .id();
                // Each node has its own pool, as a separate process would.
                HikariDataSource pool = TestDatabases.pool(database, THREADS_PER_NODE);
                nodePools.add(pool);
                WorkerLocks locks = new WorkerLocks(pool, PATIENT);
                int nodeIndex = node;
                for (int t = 0; t < THREADS_PER_NODE; t++) {
                    threads.add(executor.submit(() -> contend(locks, nodeIndex, serviceId, start, section)));
                }
            }
            for (Future<?> thread : threads) {
                thread.get(TestDatabases.BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
            nodePools.forEach(HikariDataSource::close);
        }
        assertEquals(1, section.maxInside.get(), "never two holders at once");
        int each = THREADS_PER_NODE * ACQUISITIONS_PER_THREAD;
        for (int node = 0; node < NODES; node++) {
            assertEquals(each, section.entriesByNode.get(node), "node " + node + " acquired every time it asked");
        }
        assertTrue(section.contended.get() > 0, "some acquisitions had to wait for the other holder");
    }

    private static Void contend(
            WorkerLocks locks, int node, int serviceId, CyclicBarrier start, CriticalSection section) {
        TestDatabases.await(start);
        for (int i = 0; i < ACQUISITIONS_PER_THREAD; i++) {
            if (section.inside.get() > 0) {
                section.contended.incrementAndGet();
            }
            WorkerRow row = locks.acquire(WorkerRows.VOLUME, RESOURCE, "extending", serviceId);
            section.maxInside.accumulateAndGet(section.inside.incrementAndGet(), Math::max);
            section.entriesByNode.incrementAndGet(node);
            // While inside, the database agrees about who holds the lock.
            WorkerRow held = locks.findByResource(WorkerRows.VOLUME, RESOURCE).orElseThrow();
            assertEquals(serviceId, held.serviceId());
            section.inside.decrementAndGet();
            assertTrue(locks.release(row), "the holder releases its own row");
        }
        return null;
    }

    /** Counters shared by the contenders: how many are inside now, the most ever inside, and how often one waited. */
    private static final class CriticalSection {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger maxInside = new AtomicInteger();
        final AtomicIntegerArray entriesByNode = new AtomicIntegerArray(NODES);
        final AtomicInteger contended = new AtomicInteger();
    }

    @Test
    void aDeadOwnersRowIsClaimedByExactlyOneOfManyClaimers() throws Exception {
        ServiceRepository services = new ServiceRepository(claimerPool);
        int dead = services.upsert("dead@fs", "volume", "claim@fs").id();
        int[] claimerIds = new int[CLAIMERS];
        for (int i = 0; i < CLAIMERS; i++) {
            claimerIds[i] = services.upsert("claimer-" + i + "@fs", "volume", "claim@fs")
                    .id();
        }
        WorkerLocks locks = new WorkerLocks(claimerPool, PATIENT);
        CyclicBarrier start = new CyclicBarrier(CLAIMERS + 1);
        CyclicBarrier done = new CyclicBarrier(CLAIMERS + 1);
        AtomicReferenceArray<WorkerRow> seen = new AtomicReferenceArray<>(1);
        AtomicReferenceArray<Optional<WorkerRow>> results = new AtomicReferenceArray<>(CLAIMERS);
        ExecutorService executor = Executors.newFixedThreadPool(CLAIMERS);
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (int i = 0; i < CLAIMERS; i++) {
                int self = i;
                claimers.add(executor.submit(() -> {
                    for (int round = 0; round < CLAIM_ROUNDS; round++) {
                        TestDatabases.await(start);
                        results.set(self, locks.claim(seen.get(0), claimerIds[self]));
                        TestDatabases.await(done);
                    }
                    return null;
                }));
            }
            for (int round = 0; round < CLAIM_ROUNDS; round++) {
                // The dead node's row, as every claimer read it from the table.
                WorkerRow row = locks.acquire(WorkerRows.VOLUME, "orphan-" + round, "deleting", dead);
                seen.set(0, row);
                TestDatabases.await(start);
                TestDatabases.await(done);
                checkClaimRound(locks, round, row, claimerIds, results);
            }
            for (Future<?> claimer : claimers) {
                claimer.get(TestDatabases.BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static void checkClaimRound(
            WorkerLocks locks,
            int round,
            WorkerRow original,
            int[] claimerIds,
            AtomicReferenceArray<Optional<WorkerRow>> results) {
        WorkerRow winner = null;
        int winners = 0;
        for (int i = 0; i < claimerIds.length; i++) {
            Optional<WorkerRow> result = results.get(i);
            if (result.isPresent()) {
                winners++;
                winner = result.get();
                assertEquals(
                        claimerIds[i], winner.serviceId(), "round " + round + ": the claimed row names its claimer");
            }
        }
        assertEquals(1, winners, "round " + round + ": exactly one claimer wins");
        WorkerRow reloaded =
                locks.findByResource(WorkerRows.VOLUME, original.resourceId()).orElseThrow();
        assertEquals(winner, reloaded, "round " + round + ": the table holds the winner's row");
        assertEquals(original.racePreventer() + 1, reloaded.racePreventer());
        assertTrue(locks.release(winner), "round " + round + ": the winner cleans up and releases");
    }
}
