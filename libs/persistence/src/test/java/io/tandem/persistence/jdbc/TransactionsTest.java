package io.tandem.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.core.error.AbortedException;
import io.tandem.core.error.TandemException;
import io.tandem.persistence.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TransactionsTest {
    private static DataSource db;

    @BeforeAll
    static void migrate() {
        db = TestDatabases.migrated().dataSource();
        update("INSERT INTO clusters (name, binary_name) VALUES ('one@fs', 'volume'), ('two@fs', 'volume')");
    }

    @Test
    void commitsWhenTheWorkReturns() {
        Transactions.inTransaction(db, c -> {
            Queries.update(c, "INSERT INTO clusters (name, binary_name) VALUES ('commit-1@fs', 'volume')");
            return Queries.update(c, "INSERT INTO clusters (name, binary_name) VALUES ('commit-2@fs', 'volume')");
        });
        assertEquals(2, count("SELECT count(*) FROM clusters WHERE name LIKE 'commit-%'"));
    }

    @Test
    void rollsBackWhenTheWorkThrowsAndRethrowsTheSameException() {
        IllegalStateException failure = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> Transactions.inTransaction(db, c -> {
                    Queries.update(c, "INSERT INTO clusters (name, binary_name) VALUES ('rollback@fs', 'volume')");
                    throw failure;
                }));
        assertSame(failure, thrown);
        assertEquals(0, count("SELECT count(*) FROM clusters WHERE name = 'rollback@fs'"));
    }

    @Test
    void anUnexpectedUniqueViolationIsAnInternalErrorNotADomainOne() {
        DatabaseException e = assertThrows(
                DatabaseException.class,
                () -> update("INSERT INTO clusters (name, binary_name) VALUES ('one@fs', 'volume')"));
        assertFalse(TandemException.class.isInstance(e));
        assertEquals("23505", e.sqlState());
        assertTrue(SqlErrors.isUniqueViolation((SQLException) e.getCause()));
        assertEquals(
                "42601",
                assertThrows(DatabaseException.class, () -> update("SELEC 1")).sqlState());
    }

    /** Two transactions lock the same two rows in opposite orders: PostgreSQL aborts one, and it reads ABORTED. */
    @Test
    void aDeadlockVictimGetsAborted() throws Exception {
        CyclicBarrier bothHoldOneRow = new CyclicBarrier(2);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            results.add(executor.submit(() -> lockInOrder("one@fs", "two@fs", bothHoldOneRow)));
            results.add(executor.submit(() -> lockInOrder("two@fs", "one@fs", bothHoldOneRow)));
            int committed = 0;
            int aborted = 0;
            for (Future<Integer> result : results) {
                try {
                    committed += result.get(TestDatabases.BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    assertTrue(e.getCause() instanceof AbortedException, String.valueOf(e.getCause()));
                    assertTrue(
                            e.getCause().getMessage().contains("deadlock"),
                            e.getCause().getMessage());
                    aborted++;
                }
            }
            assertEquals(1, committed, "the survivor commits");
            assertEquals(1, aborted, "the victim is aborted");
        } finally {
            executor.shutdownNow();
        }
    }

    /** A REPEATABLE READ transaction updating a row changed after its snapshot fails with 40001: ABORTED. */
    @Test
    void aSerializationFailureGetsAborted() {
        CountDownLatch snapshotTaken = new CountDownLatch(1);
        AbortedException e = assertThrows(
                AbortedException.class,
                () -> Transactions.inTransaction(db, c -> {
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    Queries.one(c, "SELECT epoch FROM clusters WHERE name = 'one@fs'", row -> row.getLong(1));
                    snapshotTaken.countDown();
                    // Another connection changes the row after this transaction's snapshot.
                    update("UPDATE clusters SET epoch = epoch + 1 WHERE name = 'one@fs'");
                    return Queries.update(c, "UPDATE clusters SET epoch = epoch + 1 WHERE name = 'one@fs'");
                }));
        assertTrue(e.getMessage().contains("serialization"), e.getMessage());
        assertEquals(0, snapshotTaken.getCount());
    }

    private static int lockInOrder(String first, String second, CyclicBarrier bothHoldOneRow) {
        return Transactions.inTransaction(db, c -> {
            Queries.update(c, "UPDATE clusters SET frozen = NOT frozen WHERE name = ?", first);
            TestDatabases.await(bothHoldOneRow);
            return Queries.update(c, "UPDATE clusters SET frozen = NOT frozen WHERE name = ?", second);
        });
    }

    private static long count(String sql) {
        return Transactions.withConnection(
                db, c -> Queries.one(c, sql, row -> row.getLong(1)).orElseThrow());
    }

    private static void update(String sql) {
        Transactions.withConnection(db, c -> Queries.update(c, sql));
    }
}
