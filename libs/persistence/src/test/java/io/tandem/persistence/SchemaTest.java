package io.tandem.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.persistence.jdbc.DatabaseException;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.SqlErrors;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.workers.WorkerRows;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The invariants the schema itself enforces, so that no code path can break them. */
class SchemaTest {
    private static DataSource db;

    @BeforeAll
    static void migrate() {
        db = TestDatabases.migrated().dataSource();
    }

    @Test
    void atMostOneUnfinishedFailoverPerTarget() {
        insertFailover("cluster-a@fs", "claimed", false);
        DatabaseException second =
                assertThrows(DatabaseException.class, () -> insertFailover("cluster-a@fs", "claimed", false));
        assertTrue(SqlErrors.isUniqueViolation((SQLException) second.getCause()));

        // Once the first is finished, the next one may start; finished rows never block.
        update("UPDATE failovers SET phase = 'completed', finished_at = now() WHERE target = 'cluster-a@fs'");
        insertFailover("cluster-a@fs", "claimed", false);
        insertFailover("cluster-b@fs", "claimed", false);
    }

    @Test
    void aFailoverIsFinishedExactlyWhenItsPhaseIsTerminal() {
        assertThrows(DatabaseException.class, () -> insertFailover("cluster-c@fs", "completed", false));
        assertThrows(DatabaseException.class, () -> insertFailover("cluster-c@fs", "promoting", true));
        insertFailover("cluster-c@fs", "failed", true);
    }

    @Test
    void thePrimaryHasOneMarkerOnly() {
        assertThrows(
                DatabaseException.class,
                () -> update("INSERT INTO clusters (name, binary_name, active_backend_id) VALUES ('x', 'volume', '')"));
        assertThrows(
                DatabaseException.class,
                () -> update("INSERT INTO services (host, binary_name, active_backend_id)"
                        + " VALUES ('h', 'volume', 'default')"));
        assertThrows(
                DatabaseException.class,
                () -> update("INSERT INTO replication_targets (scope, backend_id, location, role)"
                        + " VALUES ('x', 'default', '/sites/a', 'target')"));
    }

    @Test
    void statusValuesAreChecked() {
        assertThrows(
                DatabaseException.class,
                () -> update("INSERT INTO clusters (name, binary_name, replication_status)"
                        + " VALUES ('y', 'volume', 'failed_over')"));
        assertThrows(
                DatabaseException.class,
                () -> update("INSERT INTO volumes (id, project_id, size_gb, status)"
                        + " VALUES (gen_random_uuid(), 'p', 1, 'Available')"));
        assertThrows(
                DatabaseException.class,
                () -> update("INSERT INTO volumes (id, project_id, size_gb, status)"
                        + " VALUES (gen_random_uuid(), 'p', 0, 'available')"));
    }

    @Test
    void deletingAServiceReleasesItsWorkersRowsToNobody() {
        int serviceId = Transactions.withConnection(db, c -> Queries.one(
                        c,
                        "INSERT INTO services (host, binary_name) VALUES ('gone@fs', 'volume') RETURNING id",
                        row -> row.getInt(1))
                .orElseThrow());
        Transactions.withConnection(
                db, c -> WorkerRows.tryInsert(c, WorkerRows.VOLUME, "vol-gone", "creating", serviceId));

        update("DELETE FROM services WHERE id = " + serviceId);

        var row = Transactions.withConnection(db, c -> WorkerRows.findByResource(c, WorkerRows.VOLUME, "vol-gone"))
                .orElseThrow();
        assertNull(row.serviceId(), "the row stays for a cleaner, owned by no service");
        assertEquals("creating", row.status());
    }

    private static void insertFailover(String target, String phase, boolean finished) {
        Transactions.withConnection(
                db,
                c -> Queries.update(
                        c,
                        "INSERT INTO failovers (kind, scope, target, phase, finished_at) VALUES ('failover', 'cluster',"
                                + " ?, ?, CASE WHEN ? THEN now() END)",
                        target,
                        phase,
                        finished));
    }

    private static void update(String sql) {
        Transactions.withConnection(db, c -> Queries.update(c, sql));
    }
}
