package io.tandem.manage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.persistence.cluster.ClusterRow;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Help, usage errors (exit 2), configuration, and dependencies that are down (exit 3): one line each on stderr. */
class CommandLineTest {
    private static ManageFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ManageFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** A loopback port nothing listens on (bound, then released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void assertUsage(ManageFixture.Run run, String fragment) {
        assertEquals(ExitStatus.USAGE, run.status(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertEquals(1, run.errLines().size(), () -> "one line on stderr: " + run);
        assertTrue(run.err().startsWith("tandem-manage: "), run::toString);
        assertTrue(run.err().contains(fragment), () -> "'" + fragment + "' in " + run);
        assertTrue(run.err().contains("usage: tandem-manage"), run::toString);
    }

    @Test
    void cindersUnderscoreSpellingOfTheCommandWorksToo() {
        ManageFixture.Run tandem = fixture.manage("db", "reset-active-backend", "--help");
        ManageFixture.Run cinder = fixture.manage("db", "reset_active_backend", "--help");
        assertEquals(ExitStatus.DONE, cinder.status(), cinder::toString);
        assertEquals(tandem.out(), cinder.out());
        assertUsage(
                fixture.manage("db", "reset_active_backend", "--cluster", "c_1@fs", "--backend-host", "h_1@fs"),
                "exactly one of --backend-host and --cluster");
    }

    @Test
    void helpListsTheCommandsExitStatusesAndEnvironment() {
        ManageFixture.Run root = fixture.manage("--help");
        assertEquals(ExitStatus.DONE, root.status());
        for (String text : new String[] {
            "db reset-active-backend",
            "service remove",
            "Exit status: 0 done",
            "1 refused",
            "2 usage error",
            "3 a dependency",
            "TANDEM_DATABASE_URL",
            "TANDEM_ETCD_PREFIX",
            "--db-url URL",
            "--etcd-endpoints URLS"
        }) {
            assertTrue(root.out().contains(text), () -> text + " in " + root.out());
        }
        assertTrue(root.out().lines().allMatch(l -> l.length() <= 80), root.out());

        ManageFixture.Run reset = fixture.manage("db", "reset-active-backend", "--help");
        assertEquals(ExitStatus.DONE, reset.status());
        assertTrue(
                reset.out()
                        .startsWith("usage: tandem-manage db reset-active-backend (--backend-host HOST |"
                                + " --cluster NAME)"),
                reset.out());
        for (String text : new String[] {"--dry-run", "--replication-status STATUS", "Exit status", "thaw-host"}) {
            assertTrue(reset.out().contains(text), () -> text + " in " + reset.out());
        }
        assertTrue(reset.out().lines().skip(1).allMatch(l -> l.length() <= 80), reset.out());

        assertEquals(
                fixture.manage("db", "--help").out(),
                fixture.manage("help", "db").out());
        assertTrue(fixture.manage("service", "remove", "-h")
                .out()
                .contains("usage: tandem-manage service remove" + " [BINARY] HOST"));
    }

    @Test
    void usageErrorsExit2WithOneLine() {
        assertUsage(fixture.manage(), "a command is needed");
        assertUsage(fixture.manage("db"), "'tandem-manage db' needs a command");
        assertUsage(fixture.manage("db", "reset_everything"), "unknown command 'reset_everything'");
        assertUsage(fixture.manage("db", "reset-active-backend"), "give exactly one of --backend-host and --cluster");
        assertUsage(
                fixture.manage("db", "reset-active-backend", "--cluster", "c@fs", "--backend-host", "n@fs"),
                "give exactly one of --backend-host and --cluster");
        assertUsage(
                fixture.manage("db", "reset-active-backend", "--cluster", "c@fs", "--replication-status", "updating"),
                "means an operation holds the backend");
        assertUsage(
                fixture.manage(
                        "db", "reset-active-backend", "--cluster", "c@fs", "--replication-status", "failing-over"),
                "one of: disabled, enabled, not-capable, failed-over, failover-error, error");
        assertUsage(
                fixture.manage("db", "reset-active-backend", "--cluster", "c@fs", "--replication-status", "bogus"),
                "'bogus' is not one of");
        assertUsage(fixture.manage("db", "reset-active-backend", "--cluster", "a/b"), "not a host or cluster name");
        assertUsage(fixture.manage("db", "reset-active-backend", "--cluster"), "option --cluster needs a value");
        assertUsage(fixture.manage("db", "reset-active-backend", "--enable-replication"), "unknown option");
        assertUsage(fixture.manage("service", "remove"), "missing HOST");
        assertUsage(fixture.manage("service", "remove", "volume", "h@fs", "extra"), "unexpected argument 'extra'");
        assertUsage(
                fixture.manage("--etcd-prefix", "tandem/", "service", "remove", "h@fs"), "--etcd-prefix: 'tandem/'");
        assertUsage(fixture.manage("--db-url", "postgres://x", "service", "remove", "h@fs"), "--db-url");
    }

    @Test
    void theDatabaseDownExits3NamingItsEndpoint() throws IOException {
        int port = closedPort();
        Map<String, String> env = fixture.env();
        env.put("TANDEM_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + port + "/tandem");

        ManageFixture.Run reset = ManageFixture.manage(env, "db", "reset-active-backend", "--cluster", "c@fs");
        ManageFixture.Run remove = ManageFixture.manage(env, "service", "remove", "h@fs");

        for (ManageFixture.Run run : new ManageFixture.Run[] {reset, remove}) {
            assertEquals(ExitStatus.DEPENDENCY, run.status(), run::toString);
            assertEquals(1, run.errLines().size(), run::toString);
            assertTrue(
                    run.err().startsWith("tandem-manage: PostgreSQL at 127.0.0.1:" + port + " is unavailable"),
                    run::toString);
        }
    }

    @Test
    void anOptionOverridesTheEnvironment() throws IOException {
        int port = closedPort();
        // The environment points at the working database; the option sends the tool elsewhere.
        ManageFixture.Run run = fixture.manage(
                "--db-url", "jdbc:postgresql://127.0.0.1:" + port + "/tandem", "service", "remove", "h@fs");
        assertEquals(ExitStatus.DEPENDENCY, run.status(), run::toString);
        assertTrue(run.err().contains("127.0.0.1:" + port), run::toString);
    }

    @Test
    void etcdDownExits3NamingItsEndpointAndChangesNothing() throws IOException {
        fixture.cluster("noetcd@fs", true, true, "failed-over", "secondary", 7);
        fixture.site("noetcd@fs", "secondary", "/sites/b", false);
        String endpoint = "http://127.0.0.1:" + closedPort();

        ManageFixture.Run run =
                fixture.manage("--etcd-endpoints", endpoint, "db", "reset-active-backend", "--cluster", "noetcd@fs");

        assertEquals(ExitStatus.DEPENDENCY, run.status(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("tandem-manage: etcd at " + endpoint), run::toString);
        ClusterRow after = fixture.clusterRow("noetcd@fs");
        assertEquals(7, after.epoch());
        assertEquals("failed-over", after.replicationStatus());
        assertEquals(1, fixture.sites("noetcd@fs").size());
    }

    @Test
    void settingsComeFromTheServicesVariablesThenTheDevStack() {
        ConnectionSettings defaults = ConnectionSettings.resolve(Map.of(), Map.of());
        assertEquals("jdbc:postgresql://127.0.0.1:55432/tandem", defaults.databaseUrl());
        assertEquals("tandem", defaults.databaseUser());
        assertEquals("", defaults.databasePassword());
        assertEquals(java.util.List.of("http://127.0.0.1:23790"), defaults.etcdEndpoints());
        assertEquals("/tandem", defaults.etcdPrefix());
        assertEquals("127.0.0.1:55432", defaults.databaseEndpoint());

        ConnectionSettings fromEnv = ConnectionSettings.resolve(
                Map.of("--db-user", "ops"),
                Map.of(
                        "TANDEM_DATABASE_URL", "jdbc:postgresql://db:5432/t",
                        "TANDEM_DATABASE_USERNAME", "svc",
                        "TANDEM_DATABASE_PASSWORD", "pw",
                        "TANDEM_ETCD_ENDPOINTS", "http://e1:2379, http://e2:2379",
                        "TANDEM_ETCD_PREFIX", "/prod"));
        assertEquals("jdbc:postgresql://db:5432/t", fromEnv.databaseUrl());
        assertEquals("ops", fromEnv.databaseUser(), "the option wins");
        assertEquals("pw", fromEnv.databasePassword());
        assertEquals(java.util.List.of("http://e1:2379", "http://e2:2379"), fromEnv.etcdEndpoints());
        assertEquals("/prod", fromEnv.membershipConfig().prefix());
        assertTrue(!fromEnv.toString().contains("pw"), "the password is never printed");
    }
}
