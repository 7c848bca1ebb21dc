package io.tandem.replication.domain.failover;

import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the transitions this instance has made since it started: replication-status transitions
 * ({@link StatusTransition}) and journal phase edges ({@code claimed->draining}, …). Cheap enough to record on every
 * write; read by tests (which check that every transition is exercised) and available for metrics.
 */
@Singleton
public class Transitions {
    private final Map<StatusTransition, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> phases = new ConcurrentHashMap<>();

    /** Records one replication-status transition. */
    public void record(StatusTransition transition) {
        statuses.computeIfAbsent(transition, t -> new LongAdder()).increment();
    }

    /** Records one journal phase edge. */
    public void record(Phase from, Phase to) {
        phases.computeIfAbsent(edge(from, to), e -> new LongAdder()).increment();
    }

    /** How often each status transition happened (absent = never). */
    public Map<StatusTransition, Long> statusCounts() {
        Map<StatusTransition, Long> counts = new EnumMap<>(StatusTransition.class);
        statuses.forEach((t, n) -> counts.put(t, n.sum()));
        return counts;
    }

    /** How often each phase edge happened, keyed {@code from->to} (absent = never). */
    public Map<String, Long> phaseCounts() {
        Map<String, Long> counts = new TreeMap<>();
        phases.forEach((e, n) -> counts.put(e, n.sum()));
        return counts;
    }

    /** The key of a phase edge. */
    public static String edge(Phase from, Phase to) {
        return from.stored() + "->" + to.stored();
    }
}
