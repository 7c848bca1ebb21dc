package io.tandem.persistence.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.retry.Backoff;
import io.tandem.persistence.TestDatabases;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Single-threaded behaviour of the workers locks; the races are in {@link WorkerLocksRaceTest}. */
class WorkerLocksTest {
    private static final Backoff ONCE = new Backoff(1, Duration.ZERO, Duration.ZERO);
    private static final Backoff THREE_QUICK = new Backoff(3, Duration.ofMillis(1), Duration.ofMillis(2));

    private static DataSource db;
    private static int nodeA;
    private static int nodeB;
    private static WorkerLocks locks;

    @BeforeAll
    static void services() {
        db = TestDatabases.migrated().dataSource();
        ServiceRepository services = new ServiceRepository(db);
        nodeA = services.upsert("node-a@fs", "volume", "c@fs").id();
        nodeB = services.upsert("node-b@fs", "volume", "c@fs").id();
        locks = new WorkerLocks(db, THREE_QUICK);
    }

    @Test
    void acquireGivesUpAfterItsAttemptsNamingResourceAndHolder() {
        String volume = UUID.randomUUID().toString();
        locks.acquire(WorkerRows.VOLUME, volume, "deleting", nodeA);

        FailedPreconditionException busy = assertThrows(
                FailedPreconditionException.class, () -> locks.acquire(WorkerRows.VOLUME, volume, "extending", nodeB));

        assertTrue(busy.getMessage().contains("Volume " + volume), busy.getMessage());
        assertTrue(busy.getMessage().contains("service " + nodeA), busy.getMessage());
        assertTrue(busy.getMessage().contains("deleting"), busy.getMessage());
        assertTrue(busy.getMessage().contains("3 attempt(s)"), busy.getMessage());
        assertEquals(
                nodeA,
                locks.findByResource(WorkerRows.VOLUME, volume).orElseThrow().serviceId());
    }

    @Test
    void theLockIsNotReentrant() {
        String volume = UUID.randomUUID().toString();
        WorkerLocks once = new WorkerLocks(db, ONCE);
        once.acquire(WorkerRows.VOLUME, volume, "extending", nodeA);
        assertThrows(FailedPreconditionException.class, () -> once.acquire(WorkerRows.VOLUME, volume, "x", nodeA));
    }

    @Test
    void releaseByANonOwnerDeletesNothing() {
        String volume = UUID.randomUUID().toString();
        WorkerRow row = locks.acquire(WorkerRows.VOLUME, volume, "deleting", nodeA);

        assertFalse(locks.release(row.id(), nodeB));
        assertFalse(locks.release(row.id(), null));
        assertTrue(locks.findByResource(WorkerRows.VOLUME, volume).isPresent());

        assertTrue(locks.release(row));
        assertTrue(locks.findByResource(WorkerRows.VOLUME, volume).isEmpty());
        assertFalse(locks.release(row), "a second release finds nothing");
    }

    @Test
    void aHolderThatLostItsRowCannotDeleteTheClaimersRow() {
        String volume = UUID.randomUUID().toString();
        WorkerRow original = locks.acquire(WorkerRows.VOLUME, volume, "deleting", nodeA);
        WorkerRow claimed = locks.claim(original, nodeB).orElseThrow();

        assertFalse(locks.release(original), "node A woke up after B took over");
        assertTrue(locks.claim(original, nodeB).isEmpty(), "a stale copy claims nothing");
        assertEquals(claimed, locks.findByResource(WorkerRows.VOLUME, volume).orElseThrow());
        assertEquals(1, claimed.racePreventer());
        assertEquals(nodeB, claimed.serviceId());
        assertTrue(claimed.updatedAt().isAfter(original.updatedAt())
                || claimed.updatedAt().equals(original.updatedAt()));
        assertTrue(locks.release(claimed));
    }

    @Test
    void schedulerInsertsTheRowInItsOwnTransactionAndANodeTakesItOver() {
        UUID volume = UUID.randomUUID();
        assertThrows(
                IllegalStateException.class,
                () -> Transactions.inTransaction(db, c -> {
                    insertVolume(c, volume);
                    WorkerRows.tryInsert(c, WorkerRows.VOLUME, volume.toString(), "creating", null);
                    throw new IllegalStateException("the scheduler crashed before commit");
                }));
        assertTrue(locks.findByResource(WorkerRows.VOLUME, volume.toString()).isEmpty(), "rolled back together");

        WorkerRow scheduled = Transactions.inTransaction(db, c -> {
            insertVolume(c, volume);
            return WorkerRows.tryInsert(c, WorkerRows.VOLUME, volume.toString(), "creating", null)
                    .orElseThrow();
        });
        assertNull(scheduled.serviceId());
        boolean lostAndStillUsable = Transactions.inTransaction(db, c -> {
            boolean lost = WorkerRows.tryInsert(c, WorkerRows.VOLUME, volume.toString(), "creating", nodeB)
                    .isEmpty();
            // A caught unique violation would have aborted the transaction; ON CONFLICT DO NOTHING does not.
            return lost && Queries.one(c, "SELECT 1", row -> row.getInt(1)).isPresent();
        });
        assertTrue(lostAndStillUsable, "a second insert loses without aborting its transaction");

        WorkerRow taken = locks.claim(scheduled, nodeA).orElseThrow();
        assertEquals(nodeA, taken.serviceId());
        assertTrue(locks.release(taken));
    }

    @Test
    void queriesFindRowsByServiceAndAge() {
        int nodeC =
                new ServiceRepository(db).upsert("node-c@fs", "volume", "q@fs").id();
        int nodeD =
                new ServiceRepository(db).upsert("node-d@fs", "volume", "q@fs").id();
        WorkerRow c1 = locks.acquire(WorkerRows.VOLUME, "q-1", "creating", nodeC);
        WorkerRow c2 = locks.acquire(WorkerRows.VOLUME, "q-2", "deleting", nodeC);
        WorkerRow d1 = locks.acquire(WorkerRows.VOLUME, "q-3", "creating", nodeD);
        Instant now = Transactions.withConnection(
                        db, c -> Queries.one(c, "SELECT now()", row -> row.getObject(1, OffsetDateTime.class)))
                .orElseThrow()
                .toInstant();
        Transactions.withConnection(
                db,
                c -> Queries.update(
                        c, "UPDATE workers SET updated_at = now() - interval '1 hour' WHERE id = ?", c2.id()));

        assertEquals(List.of(c1.id(), c2.id()), ids(locks.listByService(nodeC)));
        assertEquals(
                List.of(c2.id()), ids(locks.listByServicesUpdatedBefore(List.of(nodeC, nodeD), now.minusSeconds(60))));
        assertEquals(
                List.of(c1.id(), c2.id(), d1.id()),
                ids(locks.listByServicesUpdatedBefore(List.of(nodeC, nodeD), now.plusSeconds(60))));
        assertEquals(List.of(), locks.listByServicesUpdatedBefore(List.of(), now));
        assertEquals(
                "q-3",
                locks.findByResource(WorkerRows.VOLUME, "q-3").orElseThrow().resourceId());
    }

    private static List<Long> ids(List<WorkerRow> rows) {
        return rows.stream().map(WorkerRow::id).toList();
    }

    private static int insertVolume(Connection c, UUID id) throws SQLException {
        return Queries.update(
                c, "INSERT INTO volumes (id, project_id, size_gb, status) VALUES (?, 'p', 1, 'creating')", id);
    }
}
