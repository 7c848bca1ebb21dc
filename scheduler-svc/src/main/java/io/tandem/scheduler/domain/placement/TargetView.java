package io.tandem.scheduler.domain.placement;

import io.tandem.membership.CapacityStats;
import io.tandem.membership.MemberInfo;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What placement knows about one target at one moment: its row, its live members and their published stats.
 *
 * @param live the target's live members (any epoch)
 * @param stats the stats published under the target's etcd segment, by host
 */
public record TargetView(Target target, List<MemberInfo> live, Map<String, CapacityStats> stats) {
    public TargetView {
        live = List.copyOf(live);
        stats = Map.copyOf(stats);
    }

    /** The live members serving the target's current epoch: the only ones that get work. */
    public List<MemberInfo> serving() {
        return live.stream().filter(m -> m.epoch() == target.epoch()).toList();
    }

    /**
     * The freshest stats of a serving member. Every member of a cluster reports the same backend, so the newest
     * report is the best one; a stale member's report does not count, as the member itself does not.
     */
    public Optional<CapacityStats> freshestStats() {
        return serving().stream()
                .map(m -> stats.get(m.host()))
                .filter(s -> s != null)
                .max(Comparator.comparing(CapacityStats::updatedAt));
    }
}
