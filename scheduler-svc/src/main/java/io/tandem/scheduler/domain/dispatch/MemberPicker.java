package io.tandem.scheduler.domain.dispatch;

import io.tandem.membership.MemberInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses the member that gets an operation: the one with the fewest operations this scheduler has dispatched to it
 * and not yet seen answered (least in-flight), ties broken round-robin. Least in-flight rather than plain round-robin
 * because members are not equal: a member whose driver is slow, or which is stuck, keeps its count up and gets less
 * new work, while an even cluster still gets an even spread. A pick counts at once, under one lock, so a burst of
 * concurrent creates spreads instead of all seeing the same zero.
 */
public final class MemberPicker {
    private final Map<String, Integer> inFlight = new ConcurrentHashMap<>();
    private long turn;

    /**
     * Picks among {@code candidates}, preferring those not in {@code avoid} (members already tried for this
     * operation); counts the pick. Empty when there is no candidate at all.
     */
    public synchronized Optional<MemberInfo> pick(List<MemberInfo> candidates, Collection<String> avoid) {
        List<MemberInfo> pool =
                candidates.stream().filter(m -> !avoid.contains(m.host())).toList();
        if (pool.isEmpty()) {
            pool = candidates;
        }
        if (pool.isEmpty()) {
            return Optional.empty();
        }
        int least = Integer.MAX_VALUE;
        List<MemberInfo> tied = new ArrayList<>();
        for (MemberInfo member : pool) {
            int count = inFlight.getOrDefault(member.host(), 0);
            if (count < least) {
                least = count;
                tied.clear();
            }
            if (count == least) {
                tied.add(member);
            }
        }
        MemberInfo chosen = tied.get((int) (turn++ % tied.size()));
        inFlight.merge(chosen.host(), 1, Integer::sum);
        return Optional.of(chosen);
    }

    /** The operation dispatched to {@code host} ended (answered, or handed elsewhere). */
    public synchronized void done(String host) {
        inFlight.computeIfPresent(host, (h, count) -> count <= 1 ? null : count - 1);
    }

    /** Operations dispatched to {@code host} and not yet answered. */
    public int inFlight(String host) {
        return inFlight.getOrDefault(host, 0);
    }
}
