package io.tandem.persistence.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.persistence.TestDatabases;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.volume.VolumeUpdate;
import io.tandem.persistence.volume.VolumeUpdates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The journal's compare-and-swaps, its keyset pages, and the batched volume update of the failover commit. */
class FailoverRepositoryTest {
    private static DataSource db;
    private static FailoverRepository journal;

    @BeforeAll
    static void migrate() {
        db = TestDatabases.migrated().dataSource();
        journal = new FailoverRepository(db);
    }

    @BeforeEach
    void empty() {
        update("TRUNCATE failovers, failover_members, volumes CASCADE");
    }

    private static NewFailover claim(String target, String owner) {
        return new NewFailover(
                "failover", "cluster", target, "default", "b1", owner, null, "alice", "req-1", "enabled", 3);
    }

    private static Optional<FailoverRow> insert(NewFailover f) {
        return Transactions.inTransaction(db, c -> FailoverRepository.insert(c, f));
    }

    @Test
    void aSecondUnfinishedRowForATargetIsNotInsertedAndTheFirstIsKept() {
        FailoverRow first = insert(claim("c1@fs", "r1")).orElseThrow();
        assertEquals("claimed", first.phase());
        assertEquals(3L, first.claimEpoch());
        assertEquals("enabled", first.previousStatus());

        assertTrue(insert(claim("c1@fs", "r2")).isEmpty(), "the partial unique index refuses a second one");
        assertEquals(first, journal.unfinished("c1@fs").orElseThrow());

        assertTrue(journal.finish(first.id(), "r1", "claimed", "reverted", "rejected"));
        assertTrue(insert(claim("c1@fs", "r2")).isPresent(), "a finished row blocks nothing");
    }

    @Test
    void stepsAreCompareAndSwapsOnPhaseAndOwner() {
        long id = insert(claim("c2@fs", "r1")).orElseThrow().id();

        assertFalse(journal.advance(id, "r2", "claimed", "draining"), "not the owner");
        assertFalse(journal.advance(id, "r1", "draining", "promoting"), "not in that phase");
        assertTrue(journal.advance(id, "r1", "claimed", "draining"));
        assertFalse(journal.advance(id, "r1", "claimed", "draining"), "a repeat changes nothing");
        assertThrows(IllegalArgumentException.class, () -> journal.advance(id, "r1", "draining", "completed"));

        assertTrue(journal.takeOver(id, "r1", "r2", 7L));
        assertFalse(journal.takeOver(id, "r1", "r3", 8L), "only one of two instances that saw r1 wins");
        assertFalse(journal.advance(id, "r1", "draining", "promoting"), "the old owner lost the row");
        assertTrue(journal.advance(id, "r2", "draining", "promoting"));

        assertTrue(journal.recordPromoted(id, "r2", "n1@fs"));
        assertTrue(Transactions.<Boolean>inTransaction(db, c -> FailoverRepository.commit(c, id, "r2", 4)));
        FailoverRow committed = journal.find(id).orElseThrow();
        assertEquals("completing", committed.phase());
        assertEquals(4L, committed.epoch());
        assertEquals("n1@fs", committed.promoterHost());
        assertNotNull(committed.promotedAt());
        assertNotNull(committed.committedAt());

        Transactions.inTransaction(db, c -> FailoverRepository.insertMembers(c, id, List.of("n1@fs", "n2@fs")));
        assertTrue(journal.recordFailedAttempt(id, "n2@fs", 1, "UNAVAILABLE"));
        assertTrue(journal.recordAck(id, "n1@fs", 4, 1));
        assertTrue(Transactions.<Boolean>inTransaction(db, c -> FailoverRepository.fence(c, id, "n2@fs", "gave up")));
        assertFalse(
                Transactions.<Boolean>inTransaction(db, c -> FailoverRepository.fence(c, id, "n1@fs", "x")),
                "an acknowledged member is never fenced");

        assertTrue(journal.finish(id, "r2", "completing", "completed-with-fenced-members", "n2@fs fenced"));
        FailoverRow done = journal.find(id).orElseThrow();
        assertTrue(done.finished());
        assertNull(done.owner());
        assertNotNull(done.completedAt());
        List<FailoverMemberRow> members = journal.members(id);
        assertEquals(
                List.of("n1@fs", "n2@fs"),
                members.stream().map(FailoverMemberRow::host).toList());
        assertEquals(4L, members.get(0).ackedEpoch());
        assertTrue(members.get(1).fenced());
        assertEquals(1, members.get(1).attempts());
        assertTrue(journal.unfinished().isEmpty());
    }

    @Test
    void pagesAreKeysetBasedNewestFirstWithFilters() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            FailoverRow row = insert(claim("p" + (i % 2) + "@fs", "r1")).orElseThrow();
            ids.add(row.id());
            journal.finish(row.id(), "r1", "claimed", "failed", "x");
        }
        long unfinished = insert(claim("p0@fs", "r1")).orElseThrow().id();

        FailoverPage first = journal.page(null, false, null, 3);
        assertEquals(
                List.of(unfinished, ids.get(6), ids.get(5)),
                first.rows().stream().map(FailoverRow::id).toList());
        insert(claim("p9@fs", "r1")); // a newer row does not shift the next page
        FailoverPage second = journal.page(null, false, first.nextBeforeId(), 3);
        assertEquals(
                List.of(ids.get(4), ids.get(3), ids.get(2)),
                second.rows().stream().map(FailoverRow::id).toList());
        FailoverPage last = journal.page(null, false, second.nextBeforeId(), 3);
        assertEquals(
                List.of(ids.get(1), ids.get(0)),
                last.rows().stream().map(FailoverRow::id).toList());
        assertNull(last.nextBeforeId());

        assertEquals(
                List.of(unfinished, ids.get(6), ids.get(4), ids.get(2), ids.get(0)),
                journal.page("p0@fs", false, null, 50).rows().stream()
                        .map(FailoverRow::id)
                        .toList());
        assertEquals(
                List.of(unfinished),
                journal.page("p0@fs", true, null, 50).rows().stream()
                        .map(FailoverRow::id)
                        .toList());
        Map<Long, List<FailoverMemberRow>> none = journal.members(List.of(unfinished));
        assertEquals(List.of(), none.get(unfinished));
    }

    @Test
    void tenThousandVolumeUpdatesCommitInOneStatementWithinTheScopeOnly() {
        List<UUID> ids = new ArrayList<>();
        update("INSERT INTO volumes (id, project_id, size_gb, status, cluster_name, host, replication_status,"
                + " provider_location) SELECT gen_random_uuid(), 'p', 1, 'available', 'big@fs', 'n1@fs', 'enabled',"
                + " '/a/' || g FROM generate_series(1, 10000) g");
        Transactions.withConnection(
                db,
                c -> ids.addAll(
                        Queries.list(c, "SELECT id FROM volumes ORDER BY id", r -> r.getObject(1, UUID.class))));
        UUID foreign = UUID.randomUUID();
        update(
                "INSERT INTO volumes (id, project_id, size_gb, status, cluster_name, host, replication_status)"
                        + " VALUES (?, 'p', 1, 'available', 'other@fs', 'm1@fs', 'enabled')",
                foreign);
        List<VolumeUpdate> updates = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            updates.add(
                    i % 100 == 0
                            ? new VolumeUpdate(ids.get(i), "error", null, null, null)
                            : new VolumeUpdate(ids.get(i), null, "failed-over", "/b/" + i, null));
        }
        updates.add(new VolumeUpdate(foreign, "error", "failed-over", "/b/x", null));

        long start = System.nanoTime();
        int changed =
                Transactions.inTransaction(db, c -> VolumeUpdates.apply(c, "big@fs", null, updates, "not replicated"));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(10_000, changed, "every volume of the cluster, and not the other cluster's");
        assertTrue(millis < 2_000, "10,000 updates took " + millis + " ms");
        assertEquals(9_900, count("SELECT count(*) FROM volumes WHERE replication_status = 'failed-over'"));
        assertEquals(
                100,
                count("SELECT count(*) FROM volumes WHERE status = 'error' AND status_reason = 'not replicated'"
                        + " AND replication_status = 'enabled' AND provider_location LIKE '/a/%'"));
        assertEquals(1, count("SELECT count(*) FROM volumes WHERE id = '" + foreign + "' AND status = 'available'"));
    }

    private static long count(String sql) {
        return Transactions.withConnection(
                db, c -> Queries.one(c, sql, r -> r.getLong(1)).orElseThrow());
    }

    private static void update(String sql, Object... params) {
        Transactions.withConnection(db, c -> Queries.update(c, sql, params));
    }
}
