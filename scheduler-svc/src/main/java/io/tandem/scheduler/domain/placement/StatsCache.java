package io.tandem.scheduler.domain.placement;

import io.tandem.membership.CapacityStats;
import io.tandem.membership.EtcdMembership;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The capacity stats members publish under {@code stats/<cluster>/<host>}, read from etcd at most once per refresh
 * interval per cluster: a placement never works on numbers older than that interval (plus one etcd round trip), and
 * 200 concurrent creates cost one read, not 200 (concurrent refreshes of one cluster share one request).
 */
public final class StatsCache {
    private final EtcdMembership membership;
    private final Duration refreshInterval;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(long fetchedNanos, CompletableFuture<SortedMap<String, CapacityStats>> stats) {}

    public StatsCache(EtcdMembership membership, Duration refreshInterval) {
        this.membership = Objects.requireNonNull(membership, "membership");
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
    }

    /**
     * Stats by host for each of {@code clusters} (null for the non-clustered nodes), refreshed where older than the
     * interval, all reads in parallel. Throws {@code UnavailableException} when etcd cannot be reached.
     */
    public Map<String, SortedMap<String, CapacityStats>> read(Collection<String> clusters) {
        Map<String, CompletableFuture<SortedMap<String, CapacityStats>>> pending = new LinkedHashMap<>();
        for (String cluster : clusters) {
            pending.put(cluster, fresh(cluster));
        }
        Map<String, SortedMap<String, CapacityStats>> result = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<SortedMap<String, CapacityStats>>> e : pending.entrySet()) {
            result.put(e.getKey(), join(e.getValue()));
        }
        return result;
    }

    private CompletableFuture<SortedMap<String, CapacityStats>> fresh(String cluster) {
        String key = cluster == null ? "" : cluster;
        long now = System.nanoTime();
        Entry entry = entries.compute(key, (k, current) -> {
            if (current != null && !stale(current, now)) {
                return current;
            }
            return new Entry(now, membership.statsAsync(cluster));
        });
        return entry.stats();
    }

    private boolean stale(Entry entry, long now) {
        if (entry.stats().isCompletedExceptionally()) {
            return true; // a failed read is retried by the next placement, not cached for a whole interval
        }
        return now - entry.fetchedNanos() > refreshInterval.toNanos();
    }

    private static SortedMap<String, CapacityStats> join(CompletableFuture<SortedMap<String, CapacityStats>> future) {
        try {
            // statsAsync is bounded by the membership's operation timeout, so this join cannot hang.
            return new TreeMap<>(future.join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }
}
