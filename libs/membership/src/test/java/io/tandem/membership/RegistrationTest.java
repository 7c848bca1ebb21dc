package io.tandem.membership;

import static io.tandem.membership.TestConfigs.TTL;
import static io.tandem.membership.TestConfigs.config;
import static io.tandem.membership.TestConfigs.ttlPlusMargin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.options.LeaseOption;
import io.tandem.core.ServiceBinary;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.core.error.UnavailableException;
import io.tandem.testing.Eventually;
import io.tandem.testing.TestEtcd;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registration, reads and lease loss against the JVM's shared etcd, each test under a prefix of its own. */
class RegistrationTest {
    private static final String CLUSTER = "c1@lvm";
    private static final Instant STARTED = Instant.parse("2025-01-01T00:00:00Z");

    private MembershipConfig config;
    private EtcdMembership membership;

    @BeforeEach
    void connect() {
        config = config(TestEtcd.shared().endpoint());
        membership = EtcdMembership.connect(config);
    }

    @AfterEach
    void disconnect() {
        membership.close();
    }

    static MemberInfo member(String host, long epoch) {
        return new MemberInfo(host, CLUSTER, "lvm", host + ":50061", null, epoch, STARTED);
    }

    @Test
    void registeredMemberIsListedAndVanishesAtOnceOnClose() {
        Recorder recorder = new Recorder();
        Registration registration = membership.registerMember(member("n1@lvm", 1), recorder);
        assertTrue(registration.isLive());
        assertEquals(TTL, registration.ttl());

        MemberSnapshot snapshot = membership.liveMembers(CLUSTER);
        assertEquals(List.of(member("n1@lvm", 1)), snapshot.members());
        assertTrue(snapshot.revision() > 0);
        assertEquals(member("n1@lvm", 1), membership.member(CLUSTER, "n1@lvm").orElseThrow());
        assertTrue(membership.liveMembers("c10@lvm").members().isEmpty(), "prefix must not match c10");

        registration.close();

        // Revoked, not expired: gone with the very next read.
        assertTrue(membership.liveMembers(CLUSTER).members().isEmpty());
        assertFalse(registration.isLive());
        assertEquals(List.of(), recorder.losses(), "an orderly close is not a lease loss");
        CompletionException failed = assertThrows(
                CompletionException.class,
                () -> registration.update(member("n1@lvm", 2)).join());
        assertInstanceOf(LeaseLostException.class, failed.getCause());
    }

    @Test
    void nonClusteredNodeAndServicesAreListedUnderTheirOwnKeys() {
        MemberInfo single = new MemberInfo("solo@nfs", null, "nfs", "solo:50061", null, 0, STARTED);
        membership.registerMember(single, new Recorder());
        ServiceInfo scheduler = new ServiceInfo("scheduler", "s1", "s1:50051", STARTED);
        Registration service = membership.registerService(scheduler, new Recorder());

        assertEquals(List.of(single), membership.liveMembers(null).members());
        assertEquals(List.of(scheduler), membership.liveServices("scheduler"));
        assertEquals(List.of(scheduler), membership.liveServices(ServiceBinary.SCHEDULER));

        ServiceInfo moved = new ServiceInfo("scheduler", "s1", "s1:50055", STARTED);
        service.update(moved).join();
        assertEquals(List.of(moved), membership.liveServices("scheduler"));
    }

    @Test
    void updateAndStatsStayOnTheLeaseAndVanishWithIt() throws Exception {
        Registration registration = membership.registerMember(member("n1@lvm", 1), new Recorder());
        registration.update(member("n1@lvm", 2)).join();
        CapacityStats stats = new CapacityStats(1000, 600, STARTED);
        registration.putStats(stats).join();

        assertEquals(2, membership.member(CLUSTER, "n1@lvm").orElseThrow().epoch());
        assertEquals(2, registration.member().epoch());
        assertEquals(stats, membership.stats(CLUSTER).get("n1@lvm"));
        List<String> attached = membership
                .client()
                .getLeaseClient()
                .timeToLive(
                        registration.leaseId(),
                        LeaseOption.builder().withAttachedKeys().build())
                .get()
                .getKeys()
                .stream()
                .map(EtcdCalls::string)
                .sorted()
                .collect(Collectors.toList());
        assertEquals(
                List.of(config.prefix() + "/members/c1@lvm/n1@lvm", config.prefix() + "/stats/c1@lvm/n1@lvm"),
                attached);

        registration.close();
        assertTrue(membership.member(CLUSTER, "n1@lvm").isEmpty());
        assertTrue(membership.stats(CLUSTER).isEmpty());
    }

    @Test
    void updateMayNotMoveTheMemberToAnotherKey() {
        Registration registration = membership.registerMember(member("n1@lvm", 1), new Recorder());
        assertThrows(InvalidArgumentException.class, () -> registration.update(member("n2@lvm", 1)));
    }

    @Test
    void crashedMemberDisappearsWithinTtlAndWatchersSeeItLeave() {
        Recorder watcher = new Recorder();
        membership.watchMembers(CLUSTER, watcher);
        Eventually.await(Duration.ofSeconds(5), "the initial listing", () -> watcher.saw("resynced []"));

        EtcdMembership crashing = EtcdMembership.connect(config);
        crashing.registerMember(member("n9@lvm", 1), new Recorder());
        Eventually.await(Duration.ofSeconds(5), "n9 to join", () -> watcher.saw("joined n9@lvm e1"));

        // A crash: keepalives stop and nobody revokes the lease.
        long crashedAt = System.nanoTime();
        crashing.client().close();

        Eventually.await(ttlPlusMargin(), "n9 to leave within TTL + margin", () -> watcher.saw("left n9@lvm"));
        Duration took = Duration.ofNanos(System.nanoTime() - crashedAt);
        assertTrue(membership.liveMembers(CLUSTER).members().isEmpty());
        assertEquals(List.of("resynced []", "joined n9@lvm e1", "left n9@lvm"), watcher.events());
        assertTrue(took.compareTo(ttlPlusMargin()) <= 0, "took " + took);
        crashing.close();
    }

    @Test
    void leaseRevokedByAnotherClientIsReportedExactlyOnce() {
        Recorder recorder = new Recorder();
        Registration registration = membership.registerMember(member("n1@lvm", 1), recorder);

        try (EtcdMembership other = EtcdMembership.connect(config)) {
            other.client().getLeaseClient().revoke(registration.leaseId()).join();
        }

        Eventually.await(ttlPlusMargin(), "the loss to be reported", () -> !recorder.losses()
                .isEmpty());
        assertFalse(registration.isLive());
        assertEquals(List.of(LeaseLossListener.Reason.REVOKED_OR_EXPIRED), recorder.losses());
        CompletionException failed = assertThrows(
                CompletionException.class,
                () -> registration.putStats(new CapacityStats(1, 1, STARTED)).join());
        assertInstanceOf(LeaseLostException.class, failed.getCause());

        // Every other path (watchdog, jetcd's deadline, stream end) would have fired within a TTL: none may.
        long after = System.nanoTime() + TTL.plusMillis(500).toNanos();
        Eventually.await(TTL.plusSeconds(2), "a TTL to pass", () -> System.nanoTime() - after > 0);
        assertEquals(List.of(LeaseLossListener.Reason.REVOKED_OR_EXPIRED), recorder.losses());
    }

    @Test
    void registrationAgainstADeadEndpointFailsInBoundedTimeNamingIt() throws IOException {
        String dead;
        try (ServerSocket probe = new ServerSocket(0)) {
            dead = "http://127.0.0.1:" + probe.getLocalPort();
        }
        MembershipConfig deadConfig = config(dead).withOperationTimeout(TestConfigs.SHORT_TIMEOUT);
        long start = System.nanoTime();
        try (EtcdMembership unreachable = EtcdMembership.connect(deadConfig)) {
            UnavailableException e = assertThrows(
                    UnavailableException.class, () -> unreachable.registerMember(member("n1@lvm", 1), new Recorder()));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(e.getMessage().contains(dead), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
            assertTrue(took.compareTo(deadConfig.operationTimeout().plus(TestConfigs.MARGIN)) <= 0, "took " + took);
        }
    }
}
