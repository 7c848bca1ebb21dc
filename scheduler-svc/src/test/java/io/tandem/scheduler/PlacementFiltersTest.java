package io.tandem.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.persistence.volume.VolumeRow;
import io.tandem.proto.v1.CreateVolumeRequest;
import io.tandem.proto.v1.Volume;
import io.tandem.proto.v1.VolumeStatus;
import io.tandem.testing.Eventually;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Placement through CreateVolume, with clusters in PostgreSQL and members and their stats published in etcd as nodes
 * publish them: each filter excludes with its reason, an excluded-everywhere create is written in error with those
 * reasons (and returned, not failed), the weigher takes the most free capacity, and a burst of concurrent creates
 * spreads by the capacity it consumes.
 */
class PlacementFiltersTest {
    private static SchedulerHarness harness;
    private static RecordingNode node;

    @BeforeAll
    static void start() {
        harness = SchedulerHarness.start(PlacementFiltersTest.class, Map.of());
        node = new RecordingNode();
    }

    @AfterAll
    static void stop() {
        harness.close();
        node.close();
    }

    @AfterEach
    void clearTargets() {
        harness.awaitDispatchesDone();
        // Every test builds its own targets; earlier ones must not attract or exclude anything.
        harness.sql("UPDATE clusters SET disabled = true, disabled_reason = 'earlier test'");
        harness.sql("UPDATE services SET disabled = true, disabled_reason = 'earlier test'");
    }

    @Test
    void everyFilterExcludesWithItsReasonAndTheVolumeIsWrittenInError() {
        harness.cluster("off@fs", 0);
        harness.sql("UPDATE clusters SET disabled = true, disabled_reason = 'maintenance' WHERE name = 'off@fs'");
        harness.member("off@fs", "n1@off", 0, 100, node.address());
        harness.cluster("cold@fs", 0);
        harness.sql("UPDATE clusters SET frozen = true WHERE name = 'cold@fs'");
        harness.member("cold@fs", "n1@cold", 0, 100, node.address());
        harness.cluster("empty@fs", 0);
        harness.cluster("stale@fs", 3);
        harness.member("stale@fs", "n1@stale", 2, 100, node.address());
        harness.cluster("full@fs", 0);
        harness.member("full@fs", "n1@full", 0, 4, node.address());
        harness.cluster("moving@fs", 0);
        harness.sql("UPDATE clusters SET replication_status = 'failing-over' WHERE name = 'moving@fs'");
        harness.member("moving@fs", "n1@moving", 0, 100, node.address());

        Volume volume = create("p1", 5);

        assertEquals(VolumeStatus.VOLUME_STATUS_ERROR, volume.getStatus());
        assertEquals("", volume.getClusterName());
        assertEquals("", volume.getHost());
        VolumeRow row = harness.volume(volume.getId()).orElseThrow();
        assertEquals("error", row.status());
        String reason = row.statusReason();
        assertTrue(reason.startsWith("No valid backend was found. "), reason);
        for (String expected : List.of(
                "off@fs: disabled (maintenance)",
                "cold@fs: frozen",
                "empty@fs: no live member serving epoch 0",
                "stale@fs: no live member serving epoch 3 (stale: n1@stale serves 2)",
                "full@fs: not enough free capacity (free 4.0 GiB, requested 5 GiB)",
                "moving@fs: failing over")) {
            assertTrue(reason.contains(expected), "missing '" + expected + "' in: " + reason);
        }
        assertTrue(harness.worker(volume.getId()).isEmpty(), "a never-placed volume has no workers row");
        assertTrue(node.callsFor(volume.getId()).isEmpty(), "nothing was dispatched");
    }

    @Test
    void theWeigherPicksTheMostFreeAndAStaleMemberGetsNoWork() {
        harness.cluster("big@fs", 1);
        harness.member("big@fs", "n1@big", 1, 500, node.address());
        harness.member("big@fs", "n2@big", 0, 500, node.address()); // stale: serves epoch 0
        harness.cluster("mid@fs", 0);
        harness.member("mid@fs", "n1@mid", 0, 300, node.address());
        harness.awaitServing("big@fs", Set.of("n1@big"));

        for (int i = 0; i < 5; i++) {
            Volume volume = create("p1", 1);
            assertEquals(VolumeStatus.VOLUME_STATUS_CREATING, volume.getStatus());
            assertEquals("big@fs", volume.getClusterName());
            assertEquals("n1@big", volume.getHost(), "only the member serving the current epoch gets work");
        }
    }

    @Test
    void aNonClusteredNodeIsATargetOfItsOwn() {
        harness.member(null, "solo@lvm", 0, 50, node.address());

        Volume volume = create("p1", 2);

        assertEquals(VolumeStatus.VOLUME_STATUS_CREATING, volume.getStatus());
        assertEquals("", volume.getClusterName());
        assertEquals("solo@lvm", volume.getHost());
    }

    @Test
    void freshStatsAndMembershipChangesReachPlacementWithinTheRefreshInterval() {
        harness.cluster("tide@fs", 0);
        harness.member("tide@fs", "n1@tide", 0, 3, node.address());

        Volume tooBig = create("p1", 5);
        assertEquals(VolumeStatus.VOLUME_STATUS_ERROR, tooBig.getStatus());

        harness.stats("n1@tide", 100);
        Volume fits = Eventually.awaitValue(
                SchedulerHarness.WAIT, "the new capacity to be used", () -> Optional.of(create("p1", 5))
                        .filter(v -> v.getStatus() == VolumeStatus.VOLUME_STATUS_CREATING));
        assertEquals("tide@fs", fits.getClusterName());

        harness.stopMember("n1@tide");
        harness.awaitServing("tide@fs", Set.of());
        Volume orphan = create("p1", 1);
        assertEquals(VolumeStatus.VOLUME_STATUS_ERROR, orphan.getStatus());
        assertTrue(
                harness.volume(orphan.getId()).orElseThrow().statusReason().contains("tide@fs: no live member"),
                "a member whose key vanished gets no work");
    }

    @Test
    void concurrentCreatesSpreadByTheCapacityTheyConsume() throws Exception {
        harness.cluster("wide@fs", 0);
        harness.member("wide@fs", "n1@wide", 0, 100, node.address());
        harness.cluster("narrow@fs", 0);
        harness.member("narrow@fs", "n1@narrow", 0, 60, node.address());
        harness.awaitServing("wide@fs", Set.of("n1@wide"));
        harness.awaitServing("narrow@fs", Set.of("n1@narrow"));

        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Volume>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            results.add(pool.submit(() -> create("p2", 2)));
        }
        List<Volume> volumes = new ArrayList<>();
        for (Future<Volume> result : results) {
            volumes.add(result.get());
        }
        pool.shutdown();

        Map<String, Long> byCluster =
                volumes.stream().collect(Collectors.groupingBy(Volume::getClusterName, Collectors.counting()));
        // On the same stats, wide takes until it is down to narrow's 60 GiB, then they alternate: 30 and 10.
        assertEquals(Map.of("wide@fs", 30L, "narrow@fs", 10L), byCluster);
        assertTrue(
                volumes.stream().map(Volume::getId).collect(Collectors.toSet()).size() == 40);
    }

    private static Volume create(String project, int sizeGb) {
        return harness.client()
                .createVolume(CreateVolumeRequest.newBuilder()
                        .setProjectId(project)
                        .setSizeGb(sizeGb)
                        .build())
                .getVolume();
    }
}
