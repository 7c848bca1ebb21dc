package io.tandem.scheduler.domain.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.tandem.membership.CapacityStats;
import io.tandem.membership.MemberInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The placement decision on its own: every filter with its reason, the weigher, and the capacity ledger that makes
 * a burst of placements see each other. No etcd or database here; the harnessed tests check the same rules
 * end to end.
 */
class PlacementTest {
    private static final long GIB = Placement.GIB;
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final AtomicReference<Instant> now = new AtomicReference<>(T0.plusSeconds(1));
    private final Placement placement = new Placement(new CapacityLedger(Duration.ofMinutes(10), now::get));

    @Test
    void everyFilterExcludesWithItsReasonAndTheCreateFitsNowhere() {
        List<TargetView> views = List.of(
                view(target("a@fs", 3, "disabled", "maintenance"), 3, 100),
                view(target("b@fs", 3, "frozen", null), 3, 100),
                view(target("c@fs", 3, "failing-over", null), 3, 100),
                view(target("d@fs", 3, null, null), -1, 100),
                view(target("e@fs", 3, null, null), 2, 100),
                view(target("f@fs", 3, null, null), 3, 5),
                new TargetView(target("g@fs", 3, null, null), List.of(member("g@fs", 3)), Map.of()));

        Placement.Decision decision = placement.place(views, 10);

        Placement.NoValidBackend none = assertInstanceOf(Placement.NoValidBackend.class, decision);
        assertEquals(
                "No valid backend was found. a@fs: disabled (maintenance); b@fs: frozen; c@fs: failing over;"
                        + " d@fs: no live member serving epoch 3; e@fs: no live member serving epoch 3 (stale: n1@e"
                        + " serves 2); f@fs: not enough free capacity (free 5.0 GiB, requested 10 GiB); g@fs: no"
                        + " capacity stats published by its live members",
                none.reason());
    }

    @Test
    void noTargetAtAllSaysSo() {
        Placement.NoValidBackend none = assertInstanceOf(Placement.NoValidBackend.class, placement.place(List.of(), 1));
        assertEquals("No valid backend was found. No volume backend is registered.", none.reason());
    }

    @Test
    void theWeigherTakesTheMostFreeCapacityAndOnlyCurrentEpochMembersServe() {
        TargetView small = view(target("small@fs", 1, null, null), 1, 50);
        TargetView large = view(target("large@fs", 1, null, null), 1, 80);

        Placement.Chosen chosen = assertInstanceOf(Placement.Chosen.class, placement.place(List.of(small, large), 1));

        assertEquals("large@fs", chosen.target().name());
        assertEquals(80 * GIB, chosen.freeBytes());
        assertEquals(
                List.of("n1@large"),
                chosen.serving().stream().map(MemberInfo::host).toList());
    }

    @Test
    void placementsCountAgainstStatsPublishedBeforeThemUntilNewerStatsArrive() {
        TargetView a = view(target("a@fs", 0, null, null), 0, 100);
        TargetView b = view(target("b@fs", 0, null, null), 0, 60);
        Map<String, Integer> counts = new HashMap<>();
        // 40 creates of 2 GiB on the same stale stats: A takes until it is down to B, then they alternate.
        for (int i = 0; i < 40; i++) {
            Placement.Chosen chosen = assertInstanceOf(Placement.Chosen.class, placement.place(List.of(a, b), 2));
            counts.merge(chosen.target().name(), 1, Integer::sum);
        }
        assertEquals(Map.of("a@fs", 30, "b@fs", 10), counts);

        // Stats published after those placements already include them: the ledger no longer subtracts them.
        now.set(T0.plusSeconds(10));
        TargetView fresh = new TargetView(
                a.target(), a.live(), Map.of("n1@a", new CapacityStats(200 * GIB, 40 * GIB, T0.plusSeconds(5))));
        Placement.Chosen chosen = assertInstanceOf(Placement.Chosen.class, placement.place(List.of(fresh), 1));
        assertEquals(40 * GIB, chosen.freeBytes());
    }

    @Test
    void aReleasedPlacementGivesItsCapacityBack() {
        TargetView a = view(target("a@fs", 0, null, null), 0, 10);
        Placement.Chosen first = assertInstanceOf(Placement.Chosen.class, placement.place(List.of(a), 10));
        assertInstanceOf(Placement.NoValidBackend.class, placement.place(List.of(a), 10));

        first.placed().release();

        assertInstanceOf(Placement.Chosen.class, placement.place(List.of(a), 10));
    }

    @Test
    void anExtendReservesOnlyWhatFits() {
        TargetView a = view(target("a@fs", 0, null, null), 0, 10);
        assertEquals(null, placement.reserve(a, 8).refusal());
        assertEquals(
                "not enough free capacity (free 2.0 GiB, requested 4 GiB)",
                placement.reserve(a, 4).refusal());
    }

    /** A target; {@code flag} is "disabled", "frozen" or a replication status. */
    private static Target target(String name, long epoch, String flag, String disabledReason) {
        boolean disabled = "disabled".equals(flag);
        boolean frozen = "frozen".equals(flag);
        String replication = flag != null && !disabled && !frozen ? flag : "not-capable";
        return new Target(name, null, disabled, disabledReason, frozen, replication, epoch);
    }

    /** The target with one member n1@<name> serving {@code memberEpoch} (-1: no member) and {@code freeGb} free. */
    private static TargetView view(Target target, long memberEpoch, long freeGb) {
        String host = "n1@" + target.name().substring(0, target.name().indexOf('@'));
        if (memberEpoch < 0) {
            return new TargetView(target, List.of(), Map.of());
        }
        return new TargetView(
                target,
                List.of(member(host, memberEpoch)),
                Map.of(host, new CapacityStats(2 * freeGb * GIB, freeGb * GIB, T0)));
    }

    private static MemberInfo member(String host, long epoch) {
        return new MemberInfo(host, "c", "fs", "127.0.0.1:1", null, epoch, T0);
    }
}
