package io.tandem.bench;

import io.grpc.Channel;
import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.SchedulerServiceGrpc;
import io.tandem.proto.v1.SchedulerServiceGrpc.SchedulerServiceBlockingStub;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * N creates at concurrency C (through gRPC or REST), each measured from the create request to the moment its row is seen available:
 * C workers each create one volume and wait for it before the next. Completion is observed by polling the volumes
 * table every {@link #POLL} (one query for every pending volume), not through the scheduler, so that the observation
 * adds no load to what is measured; latencies are therefore up to one poll interval late.
 */
final class CreateLoad {
    static final Duration POLL = Duration.ofMillis(5);
    private static final Duration VOLUME_DEADLINE = Duration.ofSeconds(120);

    /** What one run measured. */
    record Result(
            String label,
            int creates,
            int concurrency,
            Duration wall,
            List<Long> latencyNanos,
            int failures,
            Map<String, Integer> failureReasons) {
        double perSecond() {
            return creates / (wall.toNanos() / 1e9);
        }

        double percentileMillis(double p) {
            if (latencyNanos.isEmpty()) {
                return Double.NaN;
            }
            List<Long> sorted = new ArrayList<>(latencyNanos);
            Collections.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
        }
    }

    /** Sends one create and returns the new volume's id as the API answered it (status creating). */
    @FunctionalInterface
    interface Creator {
        UUID create(String project) throws Exception;
    }

    private final Creator creator;
    private final DataSource dataSource;
    private final Map<UUID, CompletableFuture<Completion>> pending = new ConcurrentHashMap<>();
    private final Map<String, Integer> reasons = new ConcurrentHashMap<>();
    private volatile boolean polling;

    private record Completion(String status, String reason, long seenNanos) {}

    CreateLoad(Creator creator, DataSource dataSource) {
        this.creator = creator;
        this.dataSource = dataSource;
    }

    /** Creates through SchedulerService.CreateVolume on {@code scheduler}. */
    static Creator grpc(Channel scheduler) {
        SchedulerServiceBlockingStub stub = SchedulerServiceGrpc.newBlockingStub(scheduler);
        return project -> UUID.fromString(stub.withDeadlineAfter(60, TimeUnit.SECONDS)
                .createVolume(CreateVolumeRequest.newBuilder()
                        .setProjectId(project)
                        .setSizeGb(1)
                        .build())
                .getVolume()
                .getId());
    }

    Result run(String label, String project, int creates, int concurrency) throws Exception {
        polling = true;
        Thread poller = new Thread(this::poll, "bench-poller");
        poller.setDaemon(true);
        poller.start();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        AtomicInteger next = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        reasons.clear();
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            done.add(workers.submit(() -> {
                while (next.getAndIncrement() < creates) {
                    one(project, latencies, failures);
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        workers.shutdown();
        polling = false;
        poller.join();
        return new Result(
                label, creates, concurrency, wall, List.copyOf(latencies), failures.get(), Map.copyOf(reasons));
    }

    private void one(String project, List<Long> latencies, AtomicInteger failures) {
        long sent = System.nanoTime();
        UUID id = null;
        try {
            id = creator.create(project);
            CompletableFuture<Completion> completion = new CompletableFuture<>();
            pending.put(id, completion);
            Completion result = completion.get(VOLUME_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            if ("available".equals(result.status())) {
                latencies.add(result.seenNanos() - sent);
            } else {
                failed(failures, result.status() + ": " + result.reason());
            }
        } catch (Exception e) {
            failed(failures, e.toString());
        } finally {
            if (id != null) {
                pending.remove(id); // a volume that never finished must not keep the poller busy
            }
        }
    }

    private void failed(AtomicInteger failures, String reason) {
        failures.incrementAndGet();
        reasons.merge(reason, 1, Integer::sum);
    }

    private void poll() {
        while (polling || !pending.isEmpty()) {
            if (!pending.isEmpty()) {
                try {
                    check();
                } catch (SQLException e) {
                    System.err.println("bench: polling the volumes failed: " + e.getMessage());
                }
            }
            LockSupport.parkNanos(POLL.toNanos());
            if (!polling && pending.isEmpty()) {
                return;
            }
        }
    }

    private void check() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT id, status, status_reason FROM volumes WHERE id = ANY (?) AND status <> 'creating'")) {
            Array ids = c.createArrayOf("uuid", pending.keySet().toArray());
            s.setArray(1, ids);
            try (ResultSet rows = s.executeQuery()) {
                long seen = System.nanoTime();
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    CompletableFuture<Completion> waiting = pending.remove(id);
                    if (waiting != null) {
                        waiting.complete(new Completion(rows.getString(2), rows.getString(3), seen));
                    }
                }
            }
        }
    }
}
