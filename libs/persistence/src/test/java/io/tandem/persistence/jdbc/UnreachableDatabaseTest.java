package io.tandem.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tandem.core.error.UnavailableException;
import io.tandem.persistence.Migrations;
import io.tandem.persistence.cas.ConditionalUpdate;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.workers.WorkerRows;
import java.io.IOException;
import java.net.ServerSocket;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.postgresql.ds.PGSimpleDataSource;

/** Nothing listens on the port: every entry point reports one line naming the endpoint, as UNAVAILABLE. */
class UnreachableDatabaseTest {
    private static int port;
    private static String endpoint;

    @BeforeAll
    static void closedPort() throws IOException {
        // A port that was free a moment ago and is closed now: connecting is refused at once.
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        endpoint = "127.0.0.1:" + port;
    }

    @Test
    void everyEntryPointReportsTheEndpoint() {
        DataSource dataSource = simple();
        assertUnavailable(() -> Transactions.inTransaction(dataSource, c -> 1));
        assertUnavailable(() -> Transactions.withConnection(dataSource, c -> 1));
        assertUnavailable(() -> Migrations.apply(dataSource));
        assertUnavailable(() -> ConditionalUpdate.table("volumes")
                .eq("status", "a")
                .set("status", "b")
                .execute(dataSource));
        assertUnavailable(() -> new ClusterRepository(dataSource).list());
        assertUnavailable(() ->
                Transactions.withConnection(dataSource, c -> WorkerRows.findByResource(c, WorkerRows.VOLUME, "x")));
    }

    @Test
    void aPoolThatCannotConnectReportsTheEndpointToo() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + endpoint + "/tandem");
        config.setUsername("tandem");
        config.setConnectionTimeout(1_000);
        // Start without a database, as a service does when PostgreSQL is still down.
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            // The reason may be the pool's own timeout when its connecting thread has not failed yet on a busy machine.
            assertUnavailableSomehow(() -> Transactions.withConnection(pool, c -> 1));
            assertUnavailableSomehow(() -> Migrations.apply(pool));
        }
    }

    private static DataSource simple() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl("jdbc:postgresql://" + endpoint + "/tandem");
        dataSource.setUser("tandem");
        dataSource.setConnectTimeout(2);
        return dataSource;
    }

    private static void assertUnavailable(Executable call) {
        assertEquals(
                "PostgreSQL at " + endpoint + " is unavailable (connection refused)", assertUnavailableSomehow(call));
    }

    private static String assertUnavailableSomehow(Executable call) {
        String message = assertThrows(UnavailableException.class, call).getMessage();
        assertTrue(message.startsWith("PostgreSQL at " + endpoint + " is unavailable ("), message);
        assertFalse(message.contains("\n"), "one line: " + message);
        return message;
    }
}
