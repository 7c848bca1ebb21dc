package io.tandem.membership;

import static io.tandem.membership.TestConfigs.config;
import static io.tandem.membership.TestConfigs.ttlPlusMargin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.testing.Eventually;
import io.tandem.testing.TestEtcd;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up update claim: one holder per scope, released on close, taken over when the holder's lease expires. */
class UpdateClaimsTest {
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

    @Test
    void exactlyOneOfManyRacingMembersTakesTheClaimInEveryRound() throws Exception {
        int members = 6;
        ExecutorService pool = Executors.newFixedThreadPool(members);
        try {
            for (int round = 0; round < 10; round++) {
                String scope = "race" + round + "@fs";
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Optional<Registration>>> claims = new ArrayList<>();
                for (int m = 0; m < members; m++) {
                    String host = "n" + m + "@fs";
                    claims.add(pool.submit(() -> {
                        go.await();
                        return membership.updateClaims().tryClaim(scope, host, new Recorder());
                    }));
                }
                go.countDown();
                List<Registration> won = new ArrayList<>();
                for (Future<Optional<Registration>> claim : claims) {
                    claim.get().ifPresent(won::add);
                }
                assertEquals(1, won.size(), "round " + round + ": exactly one member holds the claim");
                String holder =
                        membership.updateClaims().holder(scope).orElseThrow().host();
                assertTrue(holder.startsWith("n"), holder);
                won.get(0).close();
                assertTrue(membership.updateClaims().holder(scope).isEmpty(), "closing the claim releases it at once");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClaimWhoseHolderCrashedIsTakenOverOnceItsLeaseExpires() {
        String scope = "crash@fs";
        EtcdMembership crashing = EtcdMembership.connect(config);
        try {
            Registration claim = crashing.updateClaims()
                    .tryClaim(scope, "dead@fs", new Recorder())
                    .orElseThrow();
            assertTrue(claim.isLive());
            assertTrue(
                    membership
                            .updateClaims()
                            .tryClaim(scope, "n2@fs", new Recorder())
                            .isEmpty(),
                    "held while the holder lives");
            crashing.abandon(); // keepalives stop; etcd expires the lease a TTL later

            Registration taken = Eventually.awaitValue(
                    ttlPlusMargin().plus(ttlPlusMargin()),
                    "the claim taken over after the dead holder's lease expired",
                    () -> membership.updateClaims().tryClaim(scope, "n2@fs", new Recorder()));
            assertEquals(
                    "n2@fs",
                    membership.updateClaims().holder(scope).orElseThrow().host());
            taken.close();
        } finally {
            crashing.close();
        }
    }
}
