package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.MemberSnapshot;
import io.tandem.membership.MembershipListener;
import io.tandem.membership.WatchHandle;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a service leaves: asked to stop (SIGTERM), it revokes its etcd lease so that peers see it gone at once; killed
 * (SIGKILL), its keys vanish when its lease expires, and a member watcher sees it leave while its peers stay.
 */
class ShutdownAndCrashTest {
    private static final Duration START_DEADLINE = Duration.ofSeconds(120);
    /** A clean stop of a JVM takes about a second; the bound allows for a loaded machine. */
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(15);
    /**
     * The lease of the processes stopped with SIGTERM: far longer than {@link #STOP_DEADLINE}, so a key that is gone
     * the moment the process has exited can only have been revoked, not expired.
     */
    private static final Duration LONG_TTL = Duration.ofSeconds(30);
    /** The architecture's bound for noticing a crashed node: the lease TTL plus ~3 s on a busy 2-core machine. */
    private static final Duration CRASH_NOTICED = Stack.LEASE_TTL.plusSeconds(3);

    private static final String QUIT_CLUSTER = "quit@fs1";
    private static final String CRASH_CLUSTER = "crash@fs1";

    private static Stack stack;
    private static ServiceProcess scheduler;
    private static ServiceProcess quitter;
    private static ServiceProcess crasher;
    private static ServiceProcess survivor;

    @BeforeAll
    static void startServices() {
        stack = Stack.create(ShutdownAndCrashTest.class);
        Map<String, String> longLease = Map.of("TANDEM_ETCD_LEASE_TTL", LONG_TTL.toSeconds() + "s");
        scheduler = stack.start("scheduler", "scheduler", ServiceKind.SCHEDULER, longLease);
        quitter = stack.startVolumeNode("quitter", QUIT_CLUSTER, "fs1", longLease);
        // These two keep the tests' 2 s lease: the crash test measures how soon expiry shows.
        crasher = stack.startVolumeNode("crasher", CRASH_CLUSTER, "fs1", Map.of());
        survivor = stack.startVolumeNode("survivor", CRASH_CLUSTER, "fs1", Map.of());
        for (ServiceProcess process : List.of(scheduler, quitter, crasher, survivor)) {
            process.awaitReady(START_DEADLINE);
        }
    }

    @AfterAll
    static void stopServices() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void sigtermExitsPromptlyAndRevokesTheLeaseSoTheKeysVanishAtOnce() {
        String schedulerKey = "services/scheduler/scheduler";
        String memberKey = "members/" + QUIT_CLUSTER + "/quitter@fs1";
        assertTrue(stack.etcdValue(schedulerKey).isPresent(), schedulerKey + " missing before the stop");
        assertTrue(stack.etcdValue(memberKey).isPresent(), memberKey + " missing before the stop");

        scheduler.terminate();
        quitter.terminate();
        for (ServiceProcess process : List.of(scheduler, quitter)) {
            int exit = process.awaitExit(STOP_DEADLINE);
            // 0 when the shutdown hook finished and the JVM exited normally, 143 (128 + SIGTERM) when it ended by the
            // signal's default disposition after the hooks ran; anything else is a failed shutdown.
            assertTrue(
                    exit == 0 || exit == 143, process.name() + " exited with " + exit + "\n" + process.diagnostics());
        }
        // One read each, no polling: with a 30 s lease, only a revocation during shutdown removes them this early.
        assertFalse(stack.etcdValue(schedulerKey).isPresent(), schedulerKey + " outlived the process");
        assertFalse(stack.etcdValue(memberKey).isPresent(), memberKey + " outlived the process");
        // A clean stop prints nothing on standard error (no stack traces from a half-closed context).
        assertEquals(List.of(), nonBlank(scheduler.stderrLines()), "scheduler's standard error");
        assertEquals(List.of(), nonBlank(quitter.stderrLines()), "quitter's standard error");
        // The rows stay: os-services shows a stopped service as down, it does not forget it.
        assertTrue(stack.services().find("scheduler", "scheduler").isPresent());
        assertTrue(stack.services().find("quitter@fs1", "volume").isPresent());
    }

    @Test
    void aKilledVolumeNodeLeavesWithinTheLeaseTtlAndAWatcherSeesOnlyItLeave() {
        MemberSnapshot before = stack.membership().liveMembers(CRASH_CLUSTER);
        assertEquals(
                Set.of("crasher@fs1", "survivor@fs1"),
                before.members().stream().map(MemberInfo::host).collect(Collectors.toSet()));
        Set<String> left = ConcurrentHashMap.newKeySet();
        Set<String> resynced = ConcurrentHashMap.newKeySet();
        // From the listing's next revision: exactly the changes after it, as a scheduler or replication-svc watches.
        try (WatchHandle watch = stack.membership()
                .watchMembers(CRASH_CLUSTER, before.nextRevision(), new MembershipListener() {
                    @Override
                    public void joined(MemberInfo member) {}

                    @Override
                    public void updated(MemberInfo member) {}

                    @Override
                    public void left(String host) {
                        left.add(host);
                    }

                    @Override
                    public void resynced(MemberSnapshot snapshot) {
                        resynced.add("at revision " + snapshot.revision());
                    }
                })) {
            long killedAt = System.nanoTime();
            crasher.kill();
            assertEquals(137, crasher.awaitExit(STOP_DEADLINE), "SIGKILL, 128 + 9");

            // No shutdown hook ran, so nothing revoked the lease: the key goes when etcd expires it.
            Duration remaining = CRASH_NOTICED.minusNanos(System.nanoTime() - killedAt);
            Eventually.await(remaining, "the watcher to see crasher@fs1 leave", () -> left.contains("crasher@fs1"));
            Duration noticed = Duration.ofNanos(System.nanoTime() - killedAt);
            System.out.println("crasher@fs1 seen leaving " + noticed.toMillis() + " ms after SIGKILL");

            assertTrue(
                    stack.etcdValue("members/" + CRASH_CLUSTER + "/crasher@fs1").isEmpty());
            // Its peer is untouched: still a member, still serving, and the watcher saw nobody else leave.
            assertEquals(
                    List.of("survivor@fs1"),
                    stack.membership().liveMembers(CRASH_CLUSTER).members().stream()
                            .map(MemberInfo::host)
                            .toList());
            assertEquals(ServingStatus.SERVING, survivor.healthStatus());
            assertEquals(Set.of("crasher@fs1"), left);
            assertEquals(Set.of(), resynced, "the watch had to resync instead of following the revisions");
            assertFalse(watch.isClosed());
        }
    }

    private static List<String> nonBlank(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).toList();
    }
}
