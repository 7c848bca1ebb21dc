package io.tandem.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code make bench [N=200] [C=20] [LIST=10000]}: creates per second and request-to-available latency through
 * scheduler-svc to two volume-svc nodes per driver (and through api-svc's REST facade at concurrency 8 and 32) (in-memory, then shared-filesystem on a site directory both nodes
 * share), and the time of ListVolumes pages of 1000 at LIST volumes. Everything runs on this machine: a private
 * PostgreSQL and etcd, the services as processes from their packaged jars. Not a test: it asserts nothing, it prints.
 *
 * <p>Arguments: {@code N C [LIST]}. A warm-up of min(N, 50) creates per driver runs first and is not counted (JIT,
 * connection pools, first etcd reads).
 */
public final class Bench {
    private static final int WARM_UP = 50;

    private Bench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("failover")) {
            FailoverBench.main(top(), logs("failover"));
            return;
        }
        int creates = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int listed = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        Path top = top();
        Path logs = logs("creates");
        System.out.printf(
                Locale.ROOT,
                "Tandem bench: %d creates at concurrency %d per driver, 2 nodes each; ListVolumes at %d volumes;"
                        + " %d cores; logs in %s%n",
                creates,
                concurrency,
                listed,
                Runtime.getRuntime().availableProcessors(),
                logs);

        try (BenchStack stack = new BenchStack(top, logs)) {
            long started = System.nanoTime();
            ServiceLauncher scheduler = stack.startScheduler();
            ServiceLauncher api = stack.startApi(scheduler, stack.startReplication());
            Path site = stack.directory("fs-site");
            List<ServiceLauncher> nodes = List.of(
                    stack.startNode("mem1", "mem@bench", "mem", Map.of("TANDEM_VOLUME_DRIVER", "in-memory")),
                    stack.startNode("mem2", "mem@bench", "mem", Map.of("TANDEM_VOLUME_DRIVER", "in-memory")),
                    stack.startNode("fs1", "fs@bench", "fs", sharedFilesystem(site)),
                    stack.startNode("fs2", "fs@bench", "fs", sharedFilesystem(site)));
            for (ServiceLauncher node : nodes) {
                node.awaitReady(BenchStack.START_DEADLINE);
            }
            System.out.printf(Locale.ROOT, "stack up in %.1f s%n", (System.nanoTime() - started) / 1e9);

            CreateLoad load = new CreateLoad(CreateLoad.grpc(scheduler.channel()), stack.dataSource());
            List<CreateLoad.Result> results = new ArrayList<>();
            for (String[] driver : new String[][] {{"in-memory", "mem@bench"}, {"shared-filesystem", "fs@bench"}}) {
                stack.onlyClusterTakingCreates(driver[1]);
                CreateLoad.Result warm =
                        load.run("warm-up", "warm-" + driver[0], Math.min(creates, WARM_UP), concurrency);
                if (warm.failures() == warm.creates()) {
                    throw new IllegalStateException("no create reached available with the " + driver[0]
                            + " driver during the warm-up; see the logs in " + logs);
                }
                results.add(load.run(driver[0], "bench-" + driver[0], creates, concurrency));
            }
            // The same creates through api-svc's REST facade (POST /v3/bench/volumes), in-memory driver.
            stack.onlyClusterTakingCreates("mem@bench");
            RestClient rest = new RestClient(api.port());
            CreateLoad overRest = new CreateLoad(project -> rest.createVolume(), stack.dataSource());
            overRest.run("warm-up", "bench", Math.min(creates, WARM_UP), 8);
            for (int restConcurrency : new int[] {8, 32}) {
                results.add(overRest.run("REST in-memory", "bench", creates, restConcurrency));
            }
            printCreates(results);

            ListTiming listing = new ListTiming(scheduler.channel(), stack.dataSource());
            long inserting = System.nanoTime();
            listing.insert("listing", listed);
            System.out.printf(
                    Locale.ROOT,
                    "%ninserted %d volumes in %.1f s (VolumeRepository.insert, batches of 1000)%n",
                    listed,
                    (System.nanoTime() - inserting) / 1e9);
            printListing(listing.measure("listing"), listed);
        }
    }

    private static Path top() {
        return Path.of(System.getProperty("tandem.top", ".")).toAbsolutePath().normalize();
    }

    private static Path logs(String kind) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return top().resolve("bench/target/bench-" + kind + "-" + stamp);
    }

    private static Map<String, String> sharedFilesystem(Path site) {
        return Map.of("TANDEM_VOLUME_DRIVER", "shared-filesystem", "TANDEM_VOLUME_PRIMARY_LOCATION", site.toString());
    }

    private static void printCreates(List<CreateLoad.Result> results) {
        System.out.printf(
                Locale.ROOT,
                "%n%-18s %7s %5s %8s %10s %8s %8s %8s %8s%n",
                "driver",
                "creates",
                "conc",
                "wall s",
                "creates/s",
                "p50 ms",
                "p99 ms",
                "max ms",
                "failed");
        for (CreateLoad.Result r : results) {
            System.out.printf(
                    Locale.ROOT,
                    "%-18s %7d %5d %8.2f %10.1f %8.1f %8.1f %8.1f %8d%n",
                    r.label(),
                    r.creates(),
                    r.concurrency(),
                    r.wall().toNanos() / 1e9,
                    r.perSecond(),
                    r.percentileMillis(50),
                    r.percentileMillis(99),
                    r.percentileMillis(100),
                    r.failures());
        }
        System.out.printf(
                Locale.ROOT,
                "latency = CreateVolume request -> row seen available (volumes polled every %d ms)%n",
                CreateLoad.POLL.toMillis());
        for (CreateLoad.Result r : results) {
            r.failureReasons()
                    .forEach((reason, count) ->
                            System.out.printf(Locale.ROOT, "  %s: %d failed: %s%n", r.label(), count, reason));
        }
    }

    private static void printListing(List<ListTiming.Timing> timings, int listed) {
        System.out.printf(
                Locale.ROOT,
                "%nListVolumes, pages of 1000 through gRPC at %d volumes (4 warm walks after a cold one)%n",
                listed);
        System.out.printf(
                Locale.ROOT, "%-38s %6s %14s %12s %12s%n", "walk", "pages", "cold 1st ms", "p50 ms", "max ms");
        for (ListTiming.Timing t : timings) {
            System.out.printf(
                    Locale.ROOT,
                    "%-38s %6d %14.1f %12.1f %12.1f%n",
                    t.label(),
                    t.pages(),
                    t.firstPageColdMillis(),
                    t.p50Millis(),
                    t.maxMillis());
        }
    }
}
