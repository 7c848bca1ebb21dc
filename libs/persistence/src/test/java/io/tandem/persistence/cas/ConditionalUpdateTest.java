package io.tandem.persistence.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.persistence.TestDatabases;
import io.tandem.persistence.jdbc.JdbcValues;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConditionalUpdateTest {
    private static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");
    private static DataSource db;

    @BeforeAll
    static void migrate() {
        db = TestDatabases.migrated().dataSource();
    }

    @Test
    void notExistsFilterSkipsAVolumeThatAnOperationHolds() {
        UUID held = volume("p-filter", "available", "c1@fs");
        UUID free = volume("p-filter", "available", "c1@fs");
        Transactions.withConnection(db, c -> WorkerRows.tryInsert(c, WorkerRows.VOLUME, held.toString(), "x", null));

        int changed = ConditionalUpdate.table("volumes")
                .eq("project_id", "p-filter")
                .eq("status", "available")
                .filter(
                        "NOT EXISTS (SELECT 1 FROM workers w WHERE w.resource_type = ? AND w.resource_id = volumes.id::text)",
                        WorkerRows.VOLUME)
                .set("status", "deleting")
                .execute(db);

        assertEquals(1, changed);
        assertEquals("available", column(held, "status"));
        assertEquals("deleting", column(free, "status"));
    }

    @Test
    void epochFilterFencesAStaleMember() {
        update("INSERT INTO clusters (name, binary_name, epoch) VALUES ('epoch@fs', 'volume', 3)");
        UUID volume = volume("p-epoch", "available", "epoch@fs");
        String servesEpoch = "EXISTS (SELECT 1 FROM clusters c WHERE c.name = volumes.cluster_name AND c.epoch = ?)";

        int stale = ConditionalUpdate.table("volumes")
                .eq("id", volume)
                .filter(servesEpoch, 2L)
                .set("status", "deleting")
                .execute(db);
        int current = ConditionalUpdate.table("volumes")
                .eq("id", volume)
                .filter(servesEpoch, 3L)
                .set("status", "deleting")
                .execute(db);

        assertEquals(0, stale, "a member serving epoch 2 changes nothing");
        assertEquals(1, current);
        assertEquals("deleting", column(volume, "status"));
    }

    @Test
    void copiesSeeTheRowAsItWasBeforeTheUpdate() {
        UUID volume = volume("p-copy", "in-use", null);

        int changed = ConditionalUpdate.table("volumes")
                .eq("id", volume)
                .set("status", "available")
                .setColumn("previous_status", "status")
                .execute(db);

        assertEquals(1, changed);
        assertEquals("in-use", column(volume, "previous_status"), "the old status, though status is set first");
        assertEquals("available", column(volume, "status"));
    }

    @Test
    void expressionsComputeFromTheRow() {
        WorkerRow row = Transactions.withConnection(
                        db, c -> WorkerRows.tryInsert(c, WorkerRows.VOLUME, "expr", "creating", null))
                .orElseThrow();
        for (int i = 0; i < 2; i++) {
            ConditionalUpdate.table("workers")
                    .eq("id", row.id())
                    .setExpression("race_preventer", "race_preventer + 1")
                    .execute(db);
        }
        update("INSERT INTO clusters (name, binary_name) VALUES ('expr@fs', 'volume')");
        ConditionalUpdate.table("clusters")
                .eq("name", "expr@fs")
                .setExpression("epoch", "epoch + ?", 5L)
                .execute(db);

        assertEquals(2, number("SELECT race_preventer FROM workers WHERE id = " + row.id()));
        assertEquals(5, number("SELECT epoch FROM clusters WHERE name = 'expr@fs'"));
    }

    @Test
    void caseValuesDecidePerRowAndKeepTheValueWithoutElse() {
        UUID replicated = volume("p-case", "available", "case@fs");
        UUID plain = volume("p-case", "in-use", "case@fs");
        update("UPDATE volumes SET replication_status = 'enabled' WHERE id = '" + replicated + "'");

        int changed = ConditionalUpdate.table("volumes")
                .eq("cluster_name", "case@fs")
                .setCase(
                        "replication_status",
                        Case.when(Condition.eq("replication_status", "enabled"), Value.literal("failed-over"))
                                .orElse(Value.literal("error")))
                .setCase("status", Case.when(Condition.eq("replication_status", "disabled"), Value.literal("error")))
                .setCase(
                        "previous_status",
                        Case.when(Condition.eq("replication_status", "disabled"), Value.column("status")))
                .execute(db);

        assertEquals(2, changed, "one statement, every volume of the cluster");
        assertEquals("failed-over", column(replicated, "replication_status"));
        assertEquals("available", column(replicated, "status"), "no ELSE: the status is kept");
        assertNull(column(replicated, "previous_status"));
        assertEquals("error", column(plain, "replication_status"));
        assertEquals("error", column(plain, "status"));
        assertEquals("in-use", column(plain, "previous_status"));
    }

    @Test
    void updatesEveryMatchingRowAndReturnsTheCount() {
        for (String host : List.of("n1@fs", "n2@fs", "n3@fs")) {
            update("INSERT INTO services (host, binary_name, cluster_name) VALUES ('" + host
                    + "', 'volume', 'multi@fs')");
        }
        update("INSERT INTO services (host, binary_name, cluster_name) VALUES ('other@fs', 'volume', 'other@fs')");
        ConditionalUpdate freeze = ConditionalUpdate.table("services")
                .eq("cluster_name", "multi@fs")
                .eq("frozen", false)
                .set("frozen", true);

        assertEquals(3, freeze.execute(db));
        assertEquals(0, freeze.execute(db), "the second freeze finds nothing to change");
        assertEquals(0, number("SELECT count(*) FROM services WHERE frozen AND cluster_name = 'other@fs'"));
    }

    @Test
    void setsUpdatedAtUnlessToldOtherwise() {
        UUID touched = volume("p-time", "available", null);
        UUID kept = volume("p-time", "available", null);
        UUID explicit = volume("p-time", "available", null);
        update("UPDATE volumes SET updated_at = '2000-01-01T00:00:00Z' WHERE project_id = 'p-time'");
        Instant chosen = Instant.parse("2020-02-02T02:02:02.123456Z");

        ConditionalUpdate.table("volumes")
                .eq("id", touched)
                .set("description", "d")
                .execute(db);
        ConditionalUpdate.table("volumes")
                .eq("id", kept)
                .set("description", "d")
                .keepUpdatedAt()
                .execute(db);
        ConditionalUpdate.table("volumes")
                .eq("id", explicit)
                .set("updated_at", chosen)
                .execute(db);

        assertTrue(updatedAt(touched).isAfter(LONG_AGO));
        assertEquals(LONG_AGO, updatedAt(kept));
        assertEquals(chosen, updatedAt(explicit), "a timestamp keeps its microseconds both ways");
    }

    @Test
    void literalNullSetsNullAndReturningGivesTheNewRows() {
        UUID volume = volume("p-null", "available", "somewhere@fs");

        List<Map<String, String>> rows = ConditionalUpdate.table("volumes")
                .eq("id", volume)
                .set("cluster_name", null)
                .set("status", "error")
                .returning("status", "cluster_name")
                .executeReturning(db, row -> {
                    Map<String, String> values = new TreeMap<>();
                    values.put("status", row.getString("status"));
                    values.put("cluster_name", row.getString("cluster_name"));
                    return values;
                });

        assertEquals(1, rows.size());
        assertEquals("error", rows.get(0).get("status"));
        assertNull(rows.get(0).get("cluster_name"));
        assertNull(column(volume, "cluster_name"));
    }

    @Test
    void namesAreValidatedSoNoNameCanInjectSql() {
        List<String> hostile = List.of(
                "status = status OR 1=1 --",
                "volumes; DROP TABLE volumes",
                "a\"b",
                "Status",
                "",
                " status",
                "x".repeat(64));
        for (String name : hostile) {
            assertThrows(IllegalArgumentException.class, () -> ConditionalUpdate.table(name), name);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ConditionalUpdate.table("volumes").eq(name, 1),
                    name);
            assertThrows(IllegalArgumentException.class, () -> ConditionalUpdate.table("volumes")
                    .notIn(name, List.of()));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ConditionalUpdate.table("volumes").set(name, 1),
                    name);
            assertThrows(IllegalArgumentException.class, () -> ConditionalUpdate.table("volumes")
                    .setColumn("status", name));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> ConditionalUpdate.table("volumes").returning(name),
                    name);
        }
        assertThrows(IllegalArgumentException.class, () -> ConditionalUpdate.table(null));
        assertEquals(0, number("SELECT count(*) FROM volumes WHERE project_id = 'never'"), "volumes still exists");
    }

    @Test
    void misuseFailsBeforeReachingTheDatabase() {
        assertThrows(
                IllegalStateException.class,
                () -> ConditionalUpdate.table("volumes").set("status", "x").execute(db),
                "no expectation: would update the whole table");
        assertThrows(
                IllegalStateException.class,
                () -> ConditionalUpdate.table("volumes").eq("status", "x").execute(db));
        assertThrows(
                IllegalArgumentException.class,
                () -> ConditionalUpdate.table("volumes").set("status", "a").set("status", "b"));
        assertThrows(IllegalArgumentException.class, () -> ConditionalUpdate.table("volumes")
                .filter("status = ?"));
        assertThrows(IllegalArgumentException.class, () -> ConditionalUpdate.table("volumes")
                .filter("status = ?", 1, 2));
        assertThrows(IllegalArgumentException.class, () -> ConditionalUpdate.table("volumes")
                .eq("status", List.of("a")));
        // A question mark inside a quoted literal is not a placeholder.
        ConditionalUpdate.table("volumes").filter("description <> 'why?' AND status = ?", "x");
    }

    @Test
    void rendersReadableSql() {
        String sql = ConditionalUpdate.table("volumes")
                .eq("id", UUID.randomUUID())
                .notIn("status", List.of("deleting"))
                .setColumn("previous_status", "status")
                .set("status", "deleting")
                .toString();
        assertEquals(
                "UPDATE \"volumes\" SET \"previous_status\" = \"status\", \"status\" = ?, \"updated_at\" = now()"
                        + " WHERE \"id\" = ? AND (\"status\" NOT IN (?) OR \"status\" IS NULL) RETURNING *",
                sql);
    }

    private static UUID volume(String project, String status, String cluster) {
        UUID id = UUID.randomUUID();
        Transactions.withConnection(
                db,
                c -> Queries.update(
                        c,
                        "INSERT INTO volumes (id, project_id, size_gb, status, cluster_name) VALUES (?, ?, 1, ?, ?)",
                        id,
                        project,
                        status,
                        cluster));
        return id;
    }

    private static String column(UUID volume, String column) {
        return Transactions.withConnection(
                        db,
                        c -> Queries.one(
                                c,
                                "SELECT " + column + " FROM volumes WHERE id = ?",
                                row -> Optional.ofNullable(row.getString(1)),
                                volume))
                .orElseThrow()
                .orElse(null);
    }

    private static Instant updatedAt(UUID volume) {
        return Transactions.withConnection(
                        db,
                        c -> Queries.one(
                                c,
                                "SELECT updated_at FROM volumes WHERE id = ?",
                                row -> JdbcValues.instant(row, "updated_at"),
                                volume))
                .orElseThrow();
    }

    private static long number(String sql) {
        return Transactions.withConnection(
                db, c -> Queries.one(c, sql, row -> row.getLong(1)).orElseThrow());
    }

    private static void update(String sql) {
        Transactions.withConnection(db, c -> Queries.update(c, sql));
    }
}
