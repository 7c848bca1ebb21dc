package io.tandem.replication;

import io.tandem.replication.domain.failover.StatusTransition;
import io.tandem.replication.domain.failover.Transitions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transitions every replication-svc instance started by this test JVM made, collected when its harness closes, and
 * which test classes contributed. {@link TransitionCoverageTest}, ordered last, checks the sum.
 */
final class TransitionCoverage {
    private static final Map<StatusTransition, LongAdder> STATUSES = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> PHASES = new ConcurrentHashMap<>();
    private static final Set<String> CLASSES = ConcurrentHashMap.newKeySet();

    private TransitionCoverage() {}

    static void add(Class<?> owner, Transitions transitions) {
        CLASSES.add(owner.getSimpleName());
        transitions.statusCounts().forEach((t, n) -> STATUSES.computeIfAbsent(t, k -> new LongAdder())
                .add(n));
        transitions.phaseCounts().forEach((e, n) -> PHASES.computeIfAbsent(e, k -> new LongAdder())
                .add(n));
    }

    static long count(StatusTransition transition) {
        LongAdder n = STATUSES.get(transition);
        return n == null ? 0 : n.sum();
    }

    static long count(String phaseEdge) {
        LongAdder n = PHASES.get(phaseEdge);
        return n == null ? 0 : n.sum();
    }

    static Set<String> contributors() {
        return Set.copyOf(CLASSES);
    }
}
