package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A service that cannot start says why in one line on standard error and exits 1, within a bounded time: never a
 * wall of stack traces, never a process that hangs. Every service is tried, since each wires its own start-up.
 */
class StartupFaultsTest {
    /** The start-up timeout the faulty services get: short, so the test is quick, and long enough to retry. */
    private static final String STARTUP_TIMEOUT = "2s";
    /**
     * JVM start (4–8 s, several at once on two cores), the 2 s of retries, one last attempt bounded by the 5 s
     * operation timeout, and exit.
     */
    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(60);

    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at .*");

    private static Stack stack;

    @BeforeAll
    static void createStack() {
        stack = Stack.create(StartupFaultsTest.class);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void postgresUnreachableEndsEveryServiceWithOneLineNamingTheEndpoint() {
        int closed = Stack.freePort(); // nothing listens there
        String endpoint = "127.0.0.1:" + closed;
        List<ServiceProcess> started = startEveryService(
                "nodb",
                Map.of(
                        "TANDEM_DATABASE_URL",
                        "jdbc:postgresql://" + endpoint + "/tandem",
                        "TANDEM_DATABASE_STARTUP_TIMEOUT",
                        STARTUP_TIMEOUT));
        for (ServiceProcess process : started) {
            assertFailedWithOneLine(process, endpoint, "PostgreSQL");
        }
    }

    @Test
    void etcdUnreachableEndsEveryServiceWithOneLineNamingTheEndpoint() {
        int closed = Stack.freePort();
        String endpoint = "127.0.0.1:" + closed;
        // PostgreSQL is up: the failure must be the etcd one, not whichever dependency happens to come first.
        List<ServiceProcess> started = startEveryService(
                "noetcd",
                Map.of("TANDEM_ETCD_ENDPOINTS", "http://" + endpoint, "TANDEM_ETCD_STARTUP_TIMEOUT", STARTUP_TIMEOUT));
        for (ServiceProcess process : started) {
            assertFailedWithOneLine(process, endpoint, "etcd");
        }
        // A service that never registered must not appear as one: no services row was written.
        for (ServiceProcess process : started) {
            String host = process.kind() == ServiceKind.VOLUME ? process.name() + "@fs1" : process.name();
            assertTrue(
                    stack.services().find(host, process.kind().binary()).isEmpty(),
                    process.name() + " wrote its services row although it could not register");
        }
    }

    @Test
    void aVolumeNodeWithoutABackendEndsWithOneLineNamingTheSetting() {
        // Everything else is right (database, etcd, cluster); only TANDEM_VOLUME_BACKEND is missing.
        ServiceProcess node = stack.start(
                "nobackend", "nobackend@fs1", ServiceKind.VOLUME, Map.of("TANDEM_VOLUME_CLUSTER", "cluster9@fs1"));
        assertFailedWithOneLine(node, "TANDEM_VOLUME_BACKEND", "backend");
        // It took no place in the cluster.
        assertTrue(stack.etcdValue("members/cluster9@fs1/nobackend@fs1").isEmpty(), "member key left behind");
        assertTrue(stack.services().find("nobackend@fs1", "volume").isEmpty(), "services row written");
    }

    /** One of each service, started at once with {@code fault} on top of a working configuration. */
    private static List<ServiceProcess> startEveryService(String label, Map<String, String> fault) {
        List<ServiceProcess> started = new ArrayList<>();
        started.add(stack.start(label + "-scheduler", label + "-scheduler", ServiceKind.SCHEDULER, fault));
        started.add(stack.start(label + "-replication", label + "-replication", ServiceKind.REPLICATION, fault));
        started.add(stack.startVolumeNode(label + "-node", label + "@fs1", "fs1", fault));
        started.add(stack.start(label + "-api", label + "-api", ServiceKind.API, fault));
        return started;
    }

    private static void assertFailedWithOneLine(ServiceProcess process, String named, String about) {
        int exit = process.awaitExit(EXIT_DEADLINE);
        assertEquals(1, exit, process.name() + " exit code\n" + process.diagnostics());
        List<String> stderr =
                process.stderrLines().stream().filter(l -> !l.isBlank()).toList();
        // Exactly one line: what an operator reads in `docker logs` or systemd's journal must be the reason itself.
        assertEquals(1, stderr.size(), process.name() + " standard error:\n" + String.join("\n", stderr));
        String line = stderr.get(0);
        assertTrue(line.contains(named), process.name() + " does not name " + named + ": " + line);
        assertTrue(line.contains(about), process.name() + " does not say it is about " + about + ": " + line);
        // Prefixed with the service's name, as in "tandem-scheduler: PostgreSQL at … is unreachable after 2 s: …".
        assertTrue(line.startsWith("tandem-"), process.name() + " line without the service's name: " + line);
        for (List<String> output : List.of(process.stderrLines(), process.stdoutLines())) {
            assertTrue(
                    output.stream().noneMatch(l -> STACK_FRAME.matcher(l).matches()),
                    process.name() + " printed a stack trace:\n" + process.diagnostics());
        }
    }
}
