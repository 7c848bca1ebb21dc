package io.tandem.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code make bench-failover}: failover and failback duration, request to every member acknowledged, for clusters of
 * 1, 3 and 5 in-memory members with 100, 1,000 and 10,000 replicated volumes. The in-memory driver promotes at zero
 * cost, so the figures are the control plane's. Not a test: it prints.
 */
final class FailoverBench {
    private static final int[] MEMBERS = {1, 3, 5};
    private static final int[] VOLUMES = {100, 1_000, 10_000};
    private static final Map<String, String> IN_MEMORY_REPLICATED = Map.of(
            "TANDEM_VOLUME_DRIVER", "in-memory",
            "TANDEM_VOLUME_REPLICATION_TARGETS_0__BACKEND_ID", "secondary",
            "TANDEM_VOLUME_REPLICATION_TARGETS_0__LOCATION", "memory://secondary");

    private FailoverBench() {}

    static void main(Path top, Path logs) throws java.io.IOException {
        System.out.printf(
                Locale.ROOT,
                "Tandem failover bench: clusters of %s in-memory members x %s replicated volumes; %d cores; logs in"
                        + " %s%n",
                java.util.Arrays.toString(MEMBERS),
                java.util.Arrays.toString(VOLUMES),
                Runtime.getRuntime().availableProcessors(),
                logs);
        try (BenchStack stack = new BenchStack(top, logs)) {
            long started = System.nanoTime();
            ServiceLauncher scheduler = stack.startScheduler();
            ServiceLauncher replication = stack.startReplication();
            ServiceLauncher api = stack.startApi(scheduler, replication);
            Map<String, Integer> clusters = new LinkedHashMap<>();
            List<ServiceLauncher> nodes = new ArrayList<>();
            for (int members : MEMBERS) {
                String cluster = "fo" + members + "@bench";
                clusters.put(cluster, members);
                for (int m = 1; m <= members; m++) {
                    nodes.add(stack.startNode("fo" + members + "-" + m, cluster, "mem", IN_MEMORY_REPLICATED));
                }
            }
            nodes.forEach(node -> node.awaitReady(BenchStack.START_DEADLINE));
            System.out.printf(Locale.ROOT, "stack up in %.1f s%n", (System.nanoTime() - started) / 1e9);

            FailoverTiming timing = new FailoverTiming(replication.channel(), stack.dataSource());
            // Warm-up (JIT, pools, channels), not counted.
            String warm = "fo1@bench";
            timing.replaceVolumes(warm, "fo1-1@mem", 100);
            timing.run(warm, 1, 100, "secondary");
            timing.run(warm, 1, 100, "default");

            List<FailoverTiming.Timing> results = new ArrayList<>();
            for (int volumes : VOLUMES) {
                for (Map.Entry<String, Integer> cluster : clusters.entrySet()) {
                    String host = cluster.getKey().substring(0, cluster.getKey().indexOf('@')) + "-1@mem";
                    timing.replaceVolumes(cluster.getKey(), host, volumes);
                    results.add(timing.run(cluster.getKey(), cluster.getValue(), volumes, "secondary"));
                    results.add(timing.run(cluster.getKey(), cluster.getValue(), volumes, "default"));
                }
            }
            print(results);
            restFailover(new RestClient(api.port()), timing);
            print(promotes(timing));
        }
        IdleReplication.run(logs.resolve("idle-replication"));
    }

    /**
     * The same failover through api-svc, as an operator's script does it: PUT os-services/failover (202), then poll
     * the journal route until the row is final. 1,000 volumes on the 3-member cluster, there and back.
     */
    private static void restFailover(RestClient rest, FailoverTiming timing) throws java.io.IOException {
        String cluster = "fo3@bench";
        timing.replaceVolumes(cluster, "fo3-1@mem", 1_000);
        System.out.printf(Locale.ROOT, "%nREST (PUT /v3/bench/os-services/failover, then GET tandem/failovers)%n");
        for (String backendId : new String[] {"secondary", "default"}) {
            try {
                String before = rest.newestFailover(cluster)[0];
                long started = System.nanoTime();
                rest.failover(cluster, backendId);
                String[] row = rest.newestFailover(cluster);
                while (row[0].equals(before) || !FINAL.contains(row[1])) {
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                    row = rest.newestFailover(cluster);
                }
                System.out.printf(
                        Locale.ROOT,
                        "3 members, 1000 volumes, %-9s %-10s %8.1f ms%n",
                        backendId.equals("default") ? "failback" : "failover",
                        row[1],
                        (System.nanoTime() - started) / 1e6);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Online promote on the 3-member cluster: fail over to the target, then promote it to primary with a new target
     * (timed), fail over to that one and promote it back with the first (timed): A -> B -> C -> B.
     */
    private static List<FailoverTiming.Timing> promotes(FailoverTiming timing) {
        String cluster = "fo3@bench";
        List<FailoverTiming.Timing> results = new ArrayList<>();
        for (int volumes : new int[] {1_000, 10_000}) {
            timing.replaceVolumes(cluster, "fo3-1@mem", volumes);
            timing.run(cluster, 3, volumes, "secondary");
            results.add(timing.promote(cluster, 3, volumes, "third"));
            timing.run(cluster, 3, volumes, "third");
            results.add(timing.promote(cluster, 3, volumes, "secondary"));
        }
        return results;
    }

    private static final java.util.Set<String> FINAL =
            java.util.Set.of("completed", "completed-with-fenced-members", "failed", "reverted");

    private static void print(List<FailoverTiming.Timing> results) {
        System.out.printf(
                Locale.ROOT,
                "%n%-8s %7s %8s %-10s %-14s %16s %16s %14s%n",
                "members",
                "volumes",
                "",
                "",
                "phase",
                "request->acked ms",
                "claim->done ms",
                "commit ms");
        for (FailoverTiming.Timing t : results) {
            System.out.printf(
                    Locale.ROOT,
                    "%-8d %7d %8s %-10s %-14s %16.1f %16.1f %14.1f%n",
                    t.members(),
                    t.volumes(),
                    "",
                    t.direction(),
                    t.phase().name().replace("FAILOVER_PHASE_", "").toLowerCase(Locale.ROOT),
                    t.requestToAcked().toNanos() / 1e6,
                    t.claimToCompleted().toNanos() / 1e6,
                    t.promoteToCommitted().toNanos() / 1e6);
        }
        System.out.println("request->acked = Failover sent until GetFailover showed the final row (polled every 2 ms);"
                + " claim->done and commit from the journal's timestamps");
    }
}
