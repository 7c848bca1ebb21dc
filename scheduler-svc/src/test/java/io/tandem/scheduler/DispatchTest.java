package io.tandem.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.Volume;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.testing.Eventually;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Job distribution when members do not answer (volume-protocol.md, "Redispatch"): an operation handed to a member at
 * a closed port moves, workers row and volumes.host together, to a member that answers; with no member answering it
 * stops after the configured attempts and the row stays with a holder, the volume never lost; and a member that has
 * claimed the row but answers late keeps it.
 */
class DispatchTest {
    private static final int ATTEMPTS = 3;

    private static SchedulerHarness harness;
    private static RecordingNode node;

    @BeforeAll
    static void start() {
        harness = SchedulerHarness.start(
                DispatchTest.class,
                Map.of(
                        "tandem.scheduler.dispatch-attempts", ATTEMPTS,
                        "tandem.scheduler.dispatch-deadline", "1s",
                        "tandem.scheduler.dispatch-backoff-initial", "20ms",
                        "tandem.scheduler.dispatch-backoff-max", "100ms"));
        node = new RecordingNode();
    }

    @AfterAll
    static void stop() {
        harness.close();
        node.close();
    }

    @Test
    void createsHandedToADeadMemberMoveToOneThatAnswers() {
        harness.cluster("half@fs", 0);
        String closed = "127.0.0.1:" + SchedulerHarness.freePort();
        int deadId = harness.member("half@fs", "dead@half", 0, 100, closed);
        int liveId = harness.member("half@fs", "live@half", 0, 100, node.address());
        harness.awaitServing("half@fs", Set.of("dead@half", "live@half"));
        String requestId = "req-" + UUID.randomUUID();

        List<Volume> volumes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            volumes.add(harness.client(requestId).createVolume(create("half")).getVolume());
        }

        assertTrue(
                volumes.stream().anyMatch(v -> v.getHost().equals("dead@half")),
                "least in-flight with round-robin gives the dead member some: " + volumes);
        harness.awaitDispatchesDone();
        for (Volume volume : volumes) {
            String id = volume.getId();
            VolumeRow row = harness.volume(id).orElseThrow();
            WorkerRow worker = harness.worker(id).orElseThrow();
            assertEquals("live@half", row.host(), "volumes.host follows the move");
            assertEquals(liveId, worker.serviceId(), "the workers row follows the move");
            assertEquals(1, node.callsFor(id).size());
            assertEquals(requestId, node.callsFor(id).get(0).requestId());
            if (volume.getHost().equals("dead@half")) {
                assertEquals(1, worker.racePreventer(), "moved by one compare-and-swap");
            }
        }
        assertTrue(deadId != liveId);
    }

    @Test
    void withNoMemberAnsweringTheRowStaysWithAHolderAfterTheAttempts() {
        harness.cluster("void@fs", 0);
        int first = harness.member("void@fs", "a@void", 0, 100, "127.0.0.1:" + SchedulerHarness.freePort());
        int second = harness.member("void@fs", "b@void", 0, 100, "127.0.0.1:" + SchedulerHarness.freePort());
        harness.awaitServing("void@fs", Set.of("a@void", "b@void"));

        Volume volume = harness.client().createVolume(create("void")).getVolume();

        assertEquals(VolumeStatus.VOLUME_STATUS_CREATING, volume.getStatus());
        harness.awaitDispatchesDone();
        VolumeRow row = harness.volume(volume.getId()).orElseThrow();
        WorkerRow worker = harness.worker(volume.getId()).orElseThrow();
        assertEquals("creating", row.status(), "not lost: the holder's crash cleanup finishes it");
        assertTrue(Set.of(first, second).contains(worker.serviceId()), "held by a member: " + worker);
        assertEquals(row.host(), worker.serviceId() == first ? "a@void" : "b@void", "volumes.host names the holder");
        assertEquals(ATTEMPTS - 1, worker.racePreventer(), "each attempt after the first moved it once");
    }

    @Test
    void aMemberThatClaimedTheRowAndAnswersLateKeepsIt() throws Exception {
        harness.cluster("slow@fs", 0);
        RecordingNode slow = new RecordingNode();
        RecordingNode spare = new RecordingNode();
        CountDownLatch release = new CountDownLatch(1);
        try {
            int slowId = harness.member("slow@fs", "slow@slow", 0, 100, slow.address());
            harness.member("slow@fs", "spare@slow", 0, 100, spare.address());
            harness.awaitServing("slow@fs", Set.of("slow@slow", "spare@slow"));
            // Acts as a node would: claim the workers row, then run a driver slower than the dispatch deadline.
            slow.beforeAnswer(call -> {
                Transactions.withConnection(harness.dataSource(), c -> {
                    WorkerRow seen = WorkerRows.findByResource(c, WorkerRows.VOLUME, call.volumeId())
                            .orElseThrow();
                    return WorkerRows.claim(c, seen, slowId).orElseThrow();
                });
                awaitQuietly(release);
            });

            String id = createUntilPlacedOn("slow@slow", "slow");
            harness.awaitDispatchesDone();

            WorkerRow worker = harness.worker(id).orElseThrow();
            assertEquals(slowId, worker.serviceId(), "the member running it keeps it");
            assertEquals("slow@slow", harness.volume(id).orElseThrow().host());
            assertTrue(spare.callsFor(id).isEmpty(), "never handed to a second member");
        } finally {
            release.countDown();
            slow.close();
            spare.close();
        }
    }

    /** Creates volumes until one lands on {@code host} (round-robin alternates); returns its id. */
    private static String createUntilPlacedOn(String host, String cluster) {
        return Eventually.awaitValue(SchedulerHarness.WAIT, "a volume placed on " + host, () -> {
            Volume volume = harness.client().createVolume(create(cluster)).getVolume();
            return volume.getHost().equals(host) ? java.util.Optional.of(volume.getId()) : java.util.Optional.empty();
        });
    }

    private static CreateVolumeRequest create(String cluster) {
        // Names do not steer placement; the cluster's capacity and members do. Other tests' clusters stay out by
        // being disabled before each test creates.
        harness.sql("UPDATE clusters SET disabled = (name <> ?)", cluster + "@fs");
        return CreateVolumeRequest.newBuilder().setProjectId("p1").setSizeGb(1).build();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
