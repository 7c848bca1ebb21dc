package io.tandem.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.CreateVolumeResponse;
import io.tandem.proto.v1.DeleteVolumeRequest;
import io.tandem.proto.v1.SchedulerServiceGrpc;
import io.tandem.proto.v1.SchedulerServiceGrpc.SchedulerServiceBlockingStub;
import io.tandem.proto.v1.Volume;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Volumes created, deleted and recovered through scheduler-svc and real volume-svc processes (in-memory driver):
 * 200 concurrent creates spread over three members and all end available with no workers row left; a member killed
 * with SIGKILL while it holds slow creates leaves none of them in creating beyond its lease TTL + 5 s; two concurrent
 * deletes have one winner; a frozen cluster takes no create or delete until thawed.
 */
class VolumeClusterTest {
    private static final Duration START_DEADLINE = Duration.ofSeconds(150);
    private static final Duration SETTLE = Duration.ofSeconds(90);
    /** ARCHITECTURE.md's bound for a crashed member's work: its lease TTL plus 5 s on a busy 2-core machine. */
    private static final Duration CRASH_SETTLED = Stack.LEASE_TTL.plusSeconds(5);

    private static final String WIDE = "wide@mem";
    private static final String CRASH = "crash@mem";
    private static final List<String> WIDE_NODES = List.of("w1", "w2", "w3");
    private static final int CREATES = 200;

    private static Stack stack;
    private static ServiceProcess scheduler;
    private static ServiceProcess victim;

    @BeforeAll
    static void startTheCluster() {
        stack = Stack.create(VolumeClusterTest.class);
        scheduler = stack.start("scheduler", ServiceKind.SCHEDULER);
        List<ServiceProcess> all = new ArrayList<>(List.of(scheduler));
        for (String node : WIDE_NODES) {
            all.add(stack.startVolumeNode(node, WIDE, "mem", Map.of("TANDEM_VOLUME_DRIVER", "in-memory")));
        }
        // The crash cluster: one member whose creates take a minute, one whose creates are instant.
        victim = stack.startVolumeNode(
                "slow",
                CRASH,
                "mem",
                Map.of(
                        "TANDEM_VOLUME_DRIVER", "in-memory",
                        "TANDEM_VOLUME_DRIVER_OPTION_PAIRS", "delay.create=60s"));
        all.add(victim);
        all.add(stack.startVolumeNode("quick", CRASH, "mem", Map.of("TANDEM_VOLUME_DRIVER", "in-memory")));
        for (ServiceProcess process : all) {
            process.awaitReady(START_DEADLINE);
        }
        Eventually.await(
                START_DEADLINE,
                "every member live in etcd",
                () -> stack.membership().liveMembers(WIDE).members().size() == WIDE_NODES.size()
                        && stack.membership().liveMembers(CRASH).members().size() == 2);
    }

    @AfterAll
    static void stopTheCluster() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void twoHundredConcurrentCreatesAllEndAvailableSpreadOverTheMembers() throws Exception {
        onlyClusterTakingCreates(WIDE);

        List<String> ids = createAll("bulk", CREATES);

        Eventually.await(
                SETTLE,
                "all " + CREATES + " volumes available",
                () -> countByStatus("bulk").getOrDefault("available", 0L) == CREATES);

        Map<String, Long> byHost =
                countBy("SELECT host, count(*) FROM volumes WHERE project_id = 'bulk' GROUP BY host");
        assertEquals(Set.of("w1@mem", "w2@mem", "w3@mem"), byHost.keySet(), "every member created some: " + byHost);
        for (long count : byHost.values()) {
            assertTrue(count >= CREATES / WIDE_NODES.size() / 2, "spread unevenly: " + byHost);
        }
        assertEquals(0, scalar("SELECT count(*) FROM workers"), "no workers row left");
        assertEquals(CREATES, ids.stream().distinct().count());
    }

    @Test
    void aMemberKilledWhileItHoldsSlowCreatesLeavesNoneInCreating() throws Exception {
        onlyClusterTakingCreates(CRASH);
        // Sent together, so that least in-flight splits them between the members before either answers.
        List<String> ids = createAll("crash", 8);
        Eventually.await(SETTLE, "the slow member holding creates while the quick one finished its own", () -> {
            Map<String, Long> statuses = countByStatus("crash");
            return scalar("SELECT count(*) FROM volumes WHERE project_id = 'crash' AND host = 'slow@mem'"
                                    + " AND status = 'creating'")
                            > 0
                    && statuses.getOrDefault("creating", 0L)
                            == scalar("SELECT count(*) FROM volumes WHERE project_id = 'crash' AND host = 'slow@mem'");
        });

        victim.kill();
        long killed = System.nanoTime();
        Eventually.await(
                CRASH_SETTLED,
                "every volume of the killed member available or error",
                () -> countByStatus("crash").getOrDefault("creating", 0L) == 0);
        Duration settled = Duration.ofNanos(System.nanoTime() - killed);

        Map<String, Long> statuses = countByStatus("crash");
        assertEquals(
                ids.size(),
                statuses.getOrDefault("available", 0L) + statuses.getOrDefault("error", 0L),
                "statuses after the crash: " + statuses + " (settled in " + settled + ")");
        Eventually.await(
                Duration.ofSeconds(10),
                "no workers row of the crash volumes left",
                () -> scalar("SELECT count(*) FROM workers w JOIN volumes v ON v.id::text = w.resource_id"
                                + " WHERE v.project_id = 'crash'")
                        == 0);
    }

    @Test
    void twoConcurrentDeletesHaveOneWinnerAndTheVolumeGoes() throws Exception {
        onlyClusterTakingCreates(WIDE);
        String id = client().createVolume(CreateVolumeRequest.newBuilder()
                        .setProjectId("del")
                        .setSizeGb(1)
                        .build())
                .getVolume()
                .getId();
        Eventually.await(
                SETTLE,
                "volume " + id + " available",
                () -> countByStatus("del").getOrDefault("available", 0L) == 1);

        List<Object> outcomes = race(2, () -> client().deleteVolume(DeleteVolumeRequest.newBuilder()
                .setVolumeId(id)
                .setProjectId("del")
                .build()));

        long won = outcomes.stream().filter(o -> !(o instanceof Throwable)).count();
        assertEquals(1, won, outcomes.toString());
        for (Object outcome : outcomes) {
            if (outcome instanceof StatusRuntimeException e) {
                assertEquals(
                        Status.Code.FAILED_PRECONDITION,
                        e.getStatus().getCode(),
                        e.getStatus().toString());
            }
        }
        Eventually.await(
                SETTLE, "volume " + id + " deleted", () -> countByStatus("del").isEmpty());
    }

    @Test
    void aFrozenClusterTakesNoCreateOrDeleteUntilThawed() throws Exception {
        onlyClusterTakingCreates(WIDE);
        String id = client().createVolume(CreateVolumeRequest.newBuilder()
                        .setProjectId("ice")
                        .setSizeGb(1)
                        .build())
                .getVolume()
                .getId();
        Eventually.await(SETTLE, "volume available", () -> countByStatus("ice").getOrDefault("available", 0L) == 1);
        update("UPDATE clusters SET frozen = true WHERE name = ?", WIDE);
        update("UPDATE services SET frozen = true WHERE cluster_name = ?", WIDE);
        try {
            Volume refused = client().createVolume(CreateVolumeRequest.newBuilder()
                            .setProjectId("ice")
                            .setSizeGb(1)
                            .build())
                    .getVolume();
            assertEquals(VolumeStatus.VOLUME_STATUS_ERROR, refused.getStatus());
            StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
                    StatusRuntimeException.class, () -> client().deleteVolume(DeleteVolumeRequest.newBuilder()
                            .setVolumeId(id)
                            .setProjectId("ice")
                            .build()));
            assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
            assertEquals(
                    "Modification operations are not allowed on frozen storage backends.",
                    e.getStatus().getDescription());
        } finally {
            update("UPDATE clusters SET frozen = false WHERE name = ?", WIDE);
            update("UPDATE services SET frozen = false WHERE cluster_name = ?", WIDE);
        }
        assertEquals(
                VolumeStatus.VOLUME_STATUS_DELETING,
                client().deleteVolume(DeleteVolumeRequest.newBuilder()
                                .setVolumeId(id)
                                .setProjectId("ice")
                                .build())
                        .getVolume()
                        .getStatus());
    }

    /** Sends {@code count} creates at once; each answers creating at once. Returns the ids. */
    private static List<String> createAll(String project, int count) throws Exception {
        SchedulerServiceGrpc.SchedulerServiceFutureStub async =
                SchedulerServiceGrpc.newFutureStub(scheduler.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
        List<ListenableFuture<CreateVolumeResponse>> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            calls.add(async.createVolume(CreateVolumeRequest.newBuilder()
                    .setProjectId(project)
                    .setName(project + "-" + i)
                    .setSizeGb(1)
                    .build()));
        }
        List<String> ids = new ArrayList<>();
        for (ListenableFuture<CreateVolumeResponse> call : calls) {
            Volume volume = call.get(90, TimeUnit.SECONDS).getVolume();
            assertEquals(VolumeStatus.VOLUME_STATUS_CREATING, volume.getStatus(), volume.toString());
            ids.add(volume.getId());
        }
        return ids;
    }

    private static SchedulerServiceBlockingStub client() {
        return SchedulerServiceGrpc.newBlockingStub(scheduler.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** Disables every other volume cluster, so that placement has one candidate (disabled = no new volumes). */
    private static void onlyClusterTakingCreates(String cluster) {
        update("UPDATE clusters SET disabled = (name <> ?)", cluster);
    }

    private static Map<String, Long> countByStatus(String project) {
        return countBy("SELECT status, count(*) FROM volumes WHERE project_id = '" + project + "' GROUP BY status");
    }

    private static Map<String, Long> countBy(String query) {
        return new Db(stack.dataSource()).countBy(query);
    }

    private static long scalar(String query) {
        return new Db(stack.dataSource()).scalar(query);
    }

    private static void update(String statement, Object... params) {
        new Db(stack.dataSource()).update(statement, params);
    }

    private static List<Object> race(int racers, Callable<Object> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                try {
                    return call.call();
                } catch (StatusRuntimeException e) {
                    return e;
                }
            }));
        }
        go.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<Object> future : futures) {
            outcomes.add(future.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return outcomes;
    }
}
