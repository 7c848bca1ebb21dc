package io.tandem.membership;

import static io.tandem.membership.TestConfigs.config;
import static io.tandem.membership.TestConfigs.ttlPlusMargin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Eventually;
import io.tandem.testing.TestEtcd;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The replicator key: one holder per scope, on its lease, released or taken over when the holder goes. */
class ReplicatorKeysTest {
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

    private Registration register(EtcdMembership on, String host) {
        return on.registerMember(
                new MemberInfo(host, CLUSTER, "lvm", host + ":50061", null, 1, STARTED), new Recorder());
    }

    @Test
    void exactlyOneOfThreeRacingMembersTakesTheKeyAndAskingAgainKeepsIt() throws Exception {
        List<Registration> members =
                List.of(register(membership, "n1@lvm"), register(membership, "n2@lvm"), register(membership, "n3@lvm"));
        ExecutorService pool = Executors.newFixedThreadPool(members.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ReplicatorHolder>> claims = new ArrayList<>();
            for (Registration member : members) {
                claims.add(pool.submit(() -> {
                    go.await();
                    return membership.replicators().claim(CLUSTER, member);
                }));
            }
            go.countDown();
            List<ReplicatorHolder> seen = new ArrayList<>();
            for (Future<ReplicatorHolder> claim : claims) {
                seen.add(claim.get());
            }
            long winners = members.stream()
                    .filter(m -> seen.get(members.indexOf(m)).heldBy(m))
                    .count();
            assertEquals(1, winners, "exactly one member holds the key: " + seen);
            ReplicatorHolder holder = membership.replicators().holder(CLUSTER).orElseThrow();
            assertTrue(seen.stream().allMatch(h -> h.leaseId() == holder.leaseId()), "everyone sees the one holder");
            Registration winner =
                    members.stream().filter(holder::heldBy).findFirst().orElseThrow();
            assertEquals(winner.member().host(), holder.host());

            ReplicatorHolder again = membership.replicators().claim(CLUSTER, winner);
            assertTrue(again.heldBy(winner), "the holder asking again still holds it");
            assertEquals(holder.acquiredAt(), again.acquiredAt(), "asking again rewrites nothing");
            assertTrue(membership.replicators().holder("c2@lvm").isEmpty(), "keys are per scope");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReleasedOrClosedHoldersKeyIsTakenByTheNextMemberAtOnce() {
        Registration first = register(membership, "n1@lvm");
        Registration second = register(membership, "n2@lvm");
        assertTrue(membership.replicators().claim(CLUSTER, first).heldBy(first));
        assertFalse(membership.replicators().claim(CLUSTER, second).heldBy(second));

        assertFalse(membership.replicators().release(CLUSTER, second), "only the holder's lease releases");
        assertTrue(membership.replicators().holder(CLUSTER).orElseThrow().heldBy(first));
        assertTrue(membership.replicators().release(CLUSTER, first));
        assertEquals(Optional.empty(), membership.replicators().holder(CLUSTER));
        assertTrue(membership.replicators().claim(CLUSTER, second).heldBy(second));

        // An orderly stop revokes the lease, and the key goes with it.
        second.close();
        assertEquals(Optional.empty(), membership.replicators().holder(CLUSTER));
        assertTrue(membership.replicators().claim(CLUSTER, first).heldBy(first));
        assertThrows(LeaseLostException.class, () -> membership.replicators().claim(CLUSTER, second));
    }

    @Test
    void aCrashedHoldersKeyExpiresWithItsLeaseAndIsTakenOver() {
        EtcdMembership crashing = EtcdMembership.connect(config);
        try {
            Registration doomed = register(crashing, "n9@lvm");
            assertTrue(crashing.replicators().claim(CLUSTER, doomed).heldBy(doomed));
            Registration survivor = register(membership, "n1@lvm");
            assertFalse(membership.replicators().claim(CLUSTER, survivor).heldBy(survivor));

            crashing.abandon();
            ReplicatorHolder taken = Eventually.awaitValue(
                    ttlPlusMargin(),
                    "the survivor to take the key once the crashed holder's lease expired",
                    () -> Optional.of(membership.replicators().claim(CLUSTER, survivor))
                            .filter(h -> h.heldBy(survivor)));
            assertEquals("n1@lvm", taken.host());
        } finally {
            crashing.close();
        }
    }

    @Test
    void aMemberPublishesTheEpochItServesOnItsLease() {
        Registration member = register(membership, "n1@lvm");
        CompletableFuture<Void> update = member.updateServing(7, "site-b");
        update.join();
        MemberInfo published = membership.member(CLUSTER, "n1@lvm").orElseThrow();
        assertEquals(7, published.epoch());
        assertEquals("site-b", published.activeBackendId());
        assertEquals(published, member.member());
        member.updateServing(8, null).join();
        assertEquals(null, membership.member(CLUSTER, "n1@lvm").orElseThrow().activeBackendId());
    }
}
