package io.tandem.membership;

import static io.tandem.membership.TestConfigs.MARGIN;
import static io.tandem.membership.TestConfigs.ttlPlusMargin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.core.error.UnavailableException;
import io.tandem.testing.Eventually;
import io.tandem.testing.TestEtcd;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Membership when etcd or the network fails: a private etcd that the tests stop and restart, and a TCP proxy that cuts
 * or silences one client's connection while etcd keeps serving the others.
 */
class EtcdFaultsTest {
    private static final String CLUSTER = "c1@lvm";
    private static final Duration RECONNECT = Duration.ofSeconds(10);
    private static TestEtcd etcd;

    private final Deque<AutoCloseable> cleanup = new ArrayDeque<>();
    private MembershipConfig config;

    @BeforeAll
    static void startEtcd() {
        etcd = TestEtcd.start();
    }

    @AfterAll
    static void stopEtcd() {
        etcd.close();
    }

    @BeforeEach
    void freshPrefix() {
        if (!etcd.isRunning()) {
            etcd.restart();
        }
        config = TestConfigs.config(etcd.endpoint());
    }

    @AfterEach
    void closeAll() throws Exception {
        while (!cleanup.isEmpty()) {
            cleanup.pop().close();
        }
    }

    @Test
    void etcdStoppingLosesTheLeaseOnceAndPromptly() {
        EtcdMembership node = open(config);
        Recorder recorder = new Recorder();
        node.registerMember(member("n1@lvm"), recorder);

        long stoppedAt = System.nanoTime();
        etcd.stop();
        Eventually.await(
                ttlPlusMargin(), "the lease loss", () -> !recorder.losses().isEmpty());
        Duration took = Duration.ofNanos(System.nanoTime() - stoppedAt);
        assertTrue(took.compareTo(ttlPlusMargin()) <= 0, "took " + took);

        // etcd keeps the lease over a restart; it expires a TTL later since nobody keeps it alive any more.
        etcd.restart();
        EtcdMembership observer = open(config);
        Eventually.await(ttlPlusMargin(), "the member key to expire", () -> observer.liveMembers(CLUSTER)
                .members()
                .isEmpty());
        assertEquals(1, recorder.losses().size(), "reported exactly once: " + recorder.losses());
    }

    @Test
    void watchesResumeAcrossAnEtcdRestartWithoutLossOrDuplicates() {
        EtcdMembership watching = open(config);
        Recorder members = new Recorder();
        Recorder epochs = new Recorder();
        watching.watchMembers(CLUSTER, members);
        watching.epochs().watch(CLUSTER, epochs);
        Eventually.await(Duration.ofSeconds(5), "the initial listing", () -> members.saw("resynced []"));

        EtcdMembership nodeA = open(config);
        nodeA.registerMember(member("na@lvm"), new Recorder());
        nodeA.epochs().write(CLUSTER, new EpochRecord(1, null));
        Eventually.await(
                Duration.ofSeconds(5),
                "A and epoch 1",
                () -> members.saw("joined na@lvm e0") && epochs.saw("epoch 1 null"));

        etcd.stop();
        etcd.restart();

        // A fresh node registers and publishes while the watcher may still be reconnecting.
        EtcdMembership nodeB = open(config);
        Registration b = nodeB.registerMember(member("nb@lvm"), new Recorder());
        for (long epoch = 1; epoch <= 3; epoch++) {
            b.update(member("nb@lvm").serving(epoch, "site-b")).join();
        }
        nodeB.epochs().write(CLUSTER, new EpochRecord(2, "site-b"));
        nodeB.epochs().write(CLUSTER, new EpochRecord(3, null));

        Eventually.await(
                RECONNECT.plus(ttlPlusMargin()),
                "B's updates and A's expiry",
                () -> members.saw("updated nb@lvm e3") && members.saw("left na@lvm"));
        Eventually.await(RECONNECT, "epoch 3", () -> epochs.saw("epoch 3 null"));
        assertEquals(List.of("joined na@lvm e0", "left na@lvm"), members.eventsOf("na@lvm"));
        assertEquals(
                List.of("joined nb@lvm e0", "updated nb@lvm e1", "updated nb@lvm e2", "updated nb@lvm e3"),
                members.eventsOf("nb@lvm"));
        assertEquals(7, members.events().size(), "nothing else, nothing twice: " + members.events());
        assertEquals(List.of("epoch 1 null", "epoch 2 site-b", "epoch 3 null"), epochs.events());
    }

    @Test
    void aWatchFromACompactedRevisionStartsWithAResync() {
        EtcdMembership node = open(config);
        node.registerMember(member("nx@lvm"), new Recorder());
        long old = node.liveMembers(CLUSTER).revision();
        node.registerMember(member("ny@lvm"), new Recorder());
        node.client()
                .getKVClient()
                .compact(node.liveMembers(CLUSTER).revision())
                .join();

        Recorder watcher = new Recorder();
        node.watchMembers(CLUSTER, old, watcher);
        Eventually.await(
                Duration.ofSeconds(5), "the resync", () -> !watcher.events().isEmpty());
        node.registerMember(member("nz@lvm"), new Recorder());
        Eventually.await(Duration.ofSeconds(5), "nz to join", () -> watcher.saw("joined nz@lvm e0"));
        assertEquals(List.of("resynced [nx@lvm, ny@lvm]", "joined nz@lvm e0"), watcher.events());
    }

    @Test
    void aWatchDisconnectedPastACompactionResyncsThenContinues() throws IOException {
        TcpProxy proxy = proxy();
        EtcdMembership watching = open(config.withEndpoints(List.of(proxy.endpoint())));
        EtcdMembership node = open(config);
        Recorder watcher = new Recorder();
        watching.watchMembers(CLUSTER, watcher);
        Eventually.await(Duration.ofSeconds(5), "the initial listing", () -> watcher.saw("resynced []"));
        Registration x = node.registerMember(member("nx@lvm"), new Recorder());
        Eventually.await(Duration.ofSeconds(5), "nx to join", () -> watcher.saw("joined nx@lvm e0"));

        proxy.cut();
        node.registerMember(member("ny@lvm"), new Recorder());
        x.close();
        node.client()
                .getKVClient()
                .compact(node.liveMembers(CLUSTER).revision())
                .join();
        proxy.restore();

        Eventually.await(RECONNECT, "the resync after reconnecting", () -> watcher.saw("resynced [ny@lvm]"));
        node.registerMember(member("nz@lvm"), new Recorder());
        Eventually.await(Duration.ofSeconds(5), "nz to join", () -> watcher.saw("joined nz@lvm e0"));
        assertEquals(
                List.of("resynced []", "joined nx@lvm e0", "resynced [ny@lvm]", "joined nz@lvm e0"), watcher.events());
    }

    @Test
    void aSilentPartitionLosesTheLeaseWithinATtl() throws IOException {
        TcpProxy proxy = proxy();
        EtcdMembership node = open(config.withEndpoints(List.of(proxy.endpoint())));
        EtcdMembership observer = open(config);
        Recorder recorder = new Recorder();
        node.registerMember(member("n1@lvm"), recorder);

        long silencedAt = System.nanoTime();
        proxy.blackhole();
        Eventually.await(
                ttlPlusMargin(), "the lease loss", () -> !recorder.losses().isEmpty());
        Duration took = Duration.ofNanos(System.nanoTime() - silencedAt);
        assertTrue(took.compareTo(ttlPlusMargin()) <= 0, "took " + took);

        Eventually.await(ttlPlusMargin(), "the member key to expire", () -> observer.liveMembers(CLUSTER)
                .members()
                .isEmpty());
        assertEquals(List.of(LeaseLossListener.Reason.KEEPALIVE_TIMED_OUT), recorder.losses());
    }

    @Test
    void registrationAgainstASilentEndpointFailsInBoundedTime() throws IOException {
        TcpProxy proxy = proxy();
        proxy.blackhole();
        MembershipConfig silent =
                config.withEndpoints(List.of(proxy.endpoint())).withOperationTimeout(TestConfigs.SHORT_TIMEOUT);
        EtcdMembership node = open(silent);
        long start = System.nanoTime();
        UnavailableException e =
                assertThrows(UnavailableException.class, () -> node.registerMember(member("n1@lvm"), new Recorder()));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(e.getMessage().contains(proxy.endpoint()), e.getMessage());
        assertTrue(took.compareTo(silent.operationTimeout().plus(MARGIN)) <= 0, "took " + took);
    }

    private static MemberInfo member(String host) {
        return new MemberInfo(host, CLUSTER, "lvm", host + ":50061", null, 0, Instant.parse("2025-01-01T00:00:00Z"));
    }

    private EtcdMembership open(MembershipConfig c) {
        EtcdMembership membership = EtcdMembership.connect(c);
        cleanup.push(membership);
        return membership;
    }

    private TcpProxy proxy() throws IOException {
        TcpProxy proxy = new TcpProxy(etcd.endpoint());
        cleanup.push(proxy);
        return proxy;
    }
}
