package io.tandem.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.service.ServiceRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Resets racing on one scope, many rounds, several threads: exactly one changes the epoch, by one, per round; every
 * other run finds it already reset (after its compare-and-swap lost, or because it read after the winner committed)
 * and changes nothing, exit status 0. And a reset racing a failover claim: exactly one of the two wins each round,
 * and the loser changed nothing.
 */
class ResetRaceTest {
    private static final int RACERS = 3;
    private static final int ROUNDS = 15;
    private static final long TIMEOUT_SECONDS = 60;
    private static final String CLUSTER = "race@fs";
    /** At most this many database round trips before the claim: about as long as a whole reset takes. */
    private static final int DELAY_ROUND_TRIPS = 40;

    private static ManageFixture fixture;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        fixture = new ManageFixture();
        pool = Executors.newFixedThreadPool(RACERS);
        fixture.cluster(CLUSTER, true, true, "failed-over", "secondary", 0);
        fixture.service("n1@fs", "volume", CLUSTER, true, true, "failed-over", "secondary", 0);
        fixture.service("n2@fs", "volume", CLUSTER, true, true, "failed-over", "secondary", 0);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        fixture.close();
    }

    /** The state a failover to "secondary" leaves, at the cluster's current epoch: something for a reset to do. */
    private static void failedOverAgain() {
        fixture.sql(
                "UPDATE clusters SET replication_status = 'failed-over', active_backend_id = 'secondary' WHERE name = ?",
                CLUSTER);
        fixture.sql(
                "UPDATE services SET replication_status = 'failed-over', active_backend_id = 'secondary'"
                        + " WHERE cluster_name = ?",
                CLUSTER);
        fixture.sql("DELETE FROM replication_targets WHERE scope = ?", CLUSTER);
        fixture.site(CLUSTER, "default", "/sites/a", true);
        fixture.site(CLUSTER, "secondary", "/sites/b", false);
    }

    /** Runs every task at once (a barrier releases them together) and returns their results in order. */
    private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(tasks.size());
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                barrier.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return task.call();
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void racingResetsMoveTheEpochByExactlyOnePerRound() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            failedOverAgain();
            long epoch = fixture.clusterRow(CLUSTER).epoch();
            List<Callable<ManageFixture.Run>> resets = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                resets.add(() -> fixture.manage("db", "reset-active-backend", "--cluster", CLUSTER));
            }

            List<ManageFixture.Run> runs = race(resets);

            int changed = 0;
            for (ManageFixture.Run run : runs) {
                assertEquals(ExitStatus.DONE, run.status(), run::toString);
                assertEquals("", run.err(), run::toString);
                if (run.out().contains("Reset cluster " + CLUSTER + " in one transaction")) {
                    changed++;
                } else {
                    assertTrue(run.out().contains("Nothing to change"), run::toString);
                }
            }
            assertEquals(1, changed, "round " + round + ": " + runs);
            ClusterRow after = fixture.clusterRow(CLUSTER);
            assertEquals(epoch + 1, after.epoch(), "round " + round);
            assertEquals("disabled", after.replicationStatus());
            assertNull(after.activeBackendId());
            for (ServiceRow service : fixture.servicesOf(CLUSTER)) {
                assertEquals(epoch + 1, service.epoch(), service::toString);
                assertEquals("disabled", service.replicationStatus(), service::toString);
            }
            assertEquals(List.of(), fixture.sites(CLUSTER));
            assertEquals(epoch + 1, fixture.epochKey(CLUSTER).orElseThrow().epoch());
        }
    }

    @Test
    void aResetRacingAFailoverClaimLetsExactlyOneWin() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < ROUNDS; round++) {
            failedOverAgain();
            long epoch = fixture.clusterRow(CLUSTER).epoch();
            // replication-svc's claim (ScopeWrites.claim): a compare-and-swap on status, backend and epoch, and no
            // unfinished journal row; here without the journal row, which a real claim inserts in the same transaction.
            // It lands at a different point of the reset each round (before its read, between its read and its
            // compare-and-swap, after its commit): a random number of round trips to the database first.
            int delay = random.nextInt(DELAY_ROUND_TRIPS);
            Callable<ManageFixture.Run> claim = () -> {
                for (int i = 0; i < delay; i++) {
                    fixture.roundTrip();
                }
                int won = fixture.sql(
                        "UPDATE clusters SET replication_status = 'failing-over' WHERE name = ?"
                                + " AND replication_status = 'failed-over' AND active_backend_id = 'secondary'"
                                + " AND epoch = ?",
                        CLUSTER,
                        epoch);
                // Reported as a run whose status is the number of rows the claim changed (1: it won).
                return new ManageFixture.Run(won, "", "");
            };
            Callable<ManageFixture.Run> reset =
                    () -> fixture.manage("db", "reset-active-backend", "--cluster", CLUSTER);

            List<ManageFixture.Run> runs = race(List.of(claim, reset));

            boolean claimWon = runs.get(0).status() == 1;
            ManageFixture.Run resetRun = runs.get(1);
            ClusterRow after = fixture.clusterRow(CLUSTER);
            if (claimWon) {
                assertEquals(ExitStatus.REFUSED, resetRun.status(), resetRun::toString);
                assertEquals(1, resetRun.errLines().size(), resetRun::toString);
                assertTrue(resetRun.err().contains("nothing changed"), resetRun::toString);
                assertEquals("failing-over", after.replicationStatus());
                assertEquals("secondary", after.activeBackendId());
                assertEquals(epoch, after.epoch(), "the refused reset moved nothing");
                assertEquals(2, fixture.sites(CLUSTER).size(), "the refused reset deleted nothing");
            } else {
                assertEquals(ExitStatus.DONE, resetRun.status(), resetRun::toString);
                assertEquals("disabled", after.replicationStatus());
                assertEquals(epoch + 1, after.epoch());
                assertEquals(List.of(), fixture.sites(CLUSTER));
            }
        }
    }
}
