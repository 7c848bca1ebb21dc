package io.tandem.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.testing.TestDatabase;
import io.tandem.testing.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class MigrationsTest {
    private static final Set<String> TABLES = Set.of(
            "clusters", "services", "replication_targets", "volumes", "workers", "failovers", "failover_members");

    @Test
    void appliesOnAnEmptyDatabaseAndIsANoOpTheSecondTime() {
        DataSource dataSource = TestPostgres.shared().createDatabase().dataSource();

        int first = Migrations.apply(dataSource);
        int second = Migrations.apply(dataSource);

        assertTrue(first > 0, "the first run applies the migrations");
        assertEquals(0, second, "the second run finds nothing to do");
        assertTrue(tables(dataSource).containsAll(TABLES), "tables: " + tables(dataSource));
        assertTrue(
                constraints(dataSource)
                        .containsAll(Set.of(
                                "clusters_name_binary_name_key",
                                "services_host_binary_name_key",
                                "workers_resource_key",
                                "workers_service_id_fkey",
                                "failover_members_failover_id_fkey",
                                "clusters_replication_status_check",
                                "failovers_phase_check",
                                "replication_targets_default_is_primary")),
                "constraints: " + constraints(dataSource));
        assertTrue(
                indexes(dataSource)
                        .containsAll(Set.of(
                                "failovers_one_unfinished_per_target_idx",
                                "volumes_project_created_id_idx",
                                "volumes_created_id_idx",
                                "volumes_cluster_status_idx",
                                "services_cluster_name_idx",
                                "workers_service_id_updated_at_idx")),
                "indexes: " + indexes(dataSource));
    }

    /** Services start together and each migrates: all must succeed, and the schema must be applied exactly once. */
    @Test
    void concurrentStartsAllSucceedAndApplyTheSchemaOnce() throws Exception {
        int threads = 6;
        int rounds = 3;
        int expected = countMigrations();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                TestDatabase database = TestPostgres.shared().createDatabase();
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    // Each "service" has its own data source, as separate processes would.
                    DataSource own = database.dataSource();
                    results.add(executor.submit(() -> {
                        TestDatabases.await(start);
                        return Migrations.apply(own);
                    }));
                }
                int applied = 0;
                for (Future<Integer> result : results) {
                    applied += result.get(TestDatabases.BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
                assertEquals(expected, applied, "round " + round + ": migrations applied in total");
                assertEquals(
                        expected,
                        successfulHistoryRows(database.dataSource()),
                        "round " + round + ": one history row per migration");
                assertTrue(tables(database.dataSource()).containsAll(TABLES), "round " + round);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static int countMigrations() {
        // Counted by a single-threaded run on another fresh database, so that a new migration file needs no edit here.
        DataSource reference = TestPostgres.shared().createDatabase().dataSource();
        return Migrations.apply(reference);
    }

    private static int successfulHistoryRows(DataSource dataSource) {
        return Transactions.withConnection(dataSource, c -> Queries.one(
                        c,
                        "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL",
                        row -> row.getInt(1))
                .orElseThrow());
    }

    private static Set<String> tables(DataSource dataSource) {
        return names(dataSource, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    }

    private static Set<String> constraints(DataSource dataSource) {
        return names(dataSource, "SELECT conname FROM pg_constraint WHERE connamespace = 'public'::regnamespace");
    }

    private static Set<String> indexes(DataSource dataSource) {
        return names(dataSource, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'");
    }

    private static Set<String> names(DataSource dataSource, String sql) {
        return Transactions.withConnection(
                dataSource, c -> new TreeSet<>(Queries.list(c, sql, row -> row.getString(1))));
    }
}
