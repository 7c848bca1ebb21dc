package io.tandem.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tandem.testing.TestDatabase;
import io.tandem.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/** Fresh migrated databases and connection pools for the tests of this module. */
public final class TestDatabases {
    /** Long enough for a slow, shared 2-core machine; a barrier that waits longer means a thread is stuck. */
    public static final long BARRIER_TIMEOUT_SECONDS = 60;

    private TestDatabases() {}

    /** A new empty database with the schema applied. */
    public static TestDatabase migrated() {
        TestDatabase database = TestPostgres.shared().createDatabase();
        Migrations.apply(database.dataSource());
        return database;
    }

    /**
     * A pool of {@code size} connections, all opened up front, so that racing threads really run their statements at
     * the same time instead of queueing for connections being opened.
     */
    public static HikariDataSource pool(TestDatabase database, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.username());
        config.setPassword(database.password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(30_000);
        HikariDataSource pool = new HikariDataSource(config);
        warmUp(pool, size);
        return pool;
    }

    private static void warmUp(HikariDataSource pool, int size) {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < size; i++) {
                held.add(pool.getConnection());
            }
            for (Connection connection : held) {
                connection.close();
            }
        } catch (SQLException e) {
            pool.close();
            throw new IllegalStateException("could not open " + size + " pooled connections", e);
        }
    }

    /** Waits at {@code barrier} with a deadline, so that a stuck thread fails the test instead of hanging it. */
    public static void await(CyclicBarrier barrier) {
        try {
            barrier.await(BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("a racing thread did not reach the barrier", e);
        }
    }
}
