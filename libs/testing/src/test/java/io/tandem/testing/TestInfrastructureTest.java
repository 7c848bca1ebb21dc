package io.tandem.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The harness itself: the servers it starts are real and independent per use. */
class TestInfrastructureTest {

    @Test
    void eachDatabaseIsFreshAndReal() throws SQLException {
        TestDatabase first = TestPostgres.shared().createDatabase();
        TestDatabase second = TestPostgres.shared().createDatabase();
        assertNotEquals(first.name(), second.name());
        try (Connection c = first.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x int)");
            try (ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int")) {
                assertTrue(rs.next());
                assertTrue(rs.getInt(1) >= 150000, "PostgreSQL 15 or later");
            }
        }
        try (Connection c = second.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 't'")) {
            assertTrue(rs.next());
            assertEquals(0, rs.getInt(1), "a table of another database is not visible");
        }
    }

    @Test
    void privateEtcdStopsAndRestartsOnTheSamePort() {
        try (TestEtcd etcd = TestEtcd.start()) {
            String endpoint = etcd.endpoint();
            assertTrue(healthy(endpoint));
            etcd.stop();
            assertFalse(etcd.isRunning());
            assertFalse(healthy(endpoint));
            etcd.restart();
            assertEquals(endpoint, etcd.endpoint());
            Eventually.await(Duration.ofSeconds(10), "etcd healthy after restart", () -> healthy(endpoint));
        }
    }

    private static boolean healthy(String endpoint) {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) URI.create(endpoint + "/health").toURL().openConnection();
            c.setConnectTimeout(200);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
