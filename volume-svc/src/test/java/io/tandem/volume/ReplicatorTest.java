package io.tandem.volume;

import static io.tandem.volume.VolumeLifecycleTest.create;
import static io.tandem.volume.VolumeLifecycleTest.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.fs.SharedFilesystemDriver;
import io.tandem.membership.ReplicatorHolder;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication by the holder of the replicator key, on three members of a cluster with the shared-filesystem driver
 * over real site directories: one holder at a time, taken over when it stops, real bytes copied to the target,
 * {@code last_sync_at} recorded, and no copying once a failover has committed.
 */
class ReplicatorTest {
    private static final String CLUSTER = "c1@repl";
    private static final Duration REPLICATED = Duration.ofSeconds(30);

    @TempDir
    Path sites;

    private Path primary;
    private Path secondary;
    private TestNodes nodes;
    private Scheduler scheduler;
    private final List<TestNodes.Node> members = new ArrayList<>();

    @BeforeEach
    void startCluster() throws IOException {
        primary = Files.createDirectories(sites.resolve("primary"));
        secondary = Files.createDirectories(sites.resolve("secondary"));
        nodes = new TestNodes("repl");
        scheduler = new Scheduler(nodes.dataSource());
        Map<String, Object> properties = Map.of(
                "tandem.volume.driver",
                SharedFilesystemDriver.NAME,
                "tandem.volume.primary-location",
                primary.toString(),
                "tandem.volume.replication-targets[0].backend-id",
                "secondary",
                "tandem.volume.replication-targets[0].location",
                secondary.toString(),
                "tandem.volume.replication-interval",
                "200ms");
        for (String name : List.of("n1", "n2", "n3")) {
            members.add(nodes.start(name, CLUSTER, properties));
        }
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void exactlyOneOfThreeMembersHoldsTheReplicatorKeyAndAnotherTakesOverWhenItStops() {
        TestNodes.Node holder = awaitOneHolder(members);
        ReplicatorHolder key = nodes.etcd().replicators().holder(CLUSTER).orElseThrow();
        assertEquals(holder.host, key.host());

        holder.close();
        List<TestNodes.Node> rest = new ArrayList<>(members);
        rest.remove(holder);
        TestNodes.Node next = awaitOneHolder(rest);
        assertEquals(
                next.host,
                nodes.etcd().replicators().holder(CLUSTER).orElseThrow().host());
    }

    @Test
    void theHolderCopiesReplicatedVolumesAndRecordsTheirSyncTimesUntilAFailoverCommits() {
        TestNodes.Node creator = members.get(0);
        int service = scheduler.serviceId(creator.host);
        UUID replicated = scheduler.place(CLUSTER, creator.host, 1, service, "enabled");
        UUID plain = scheduler.place(CLUSTER, creator.host, 1, service, "disabled");
        creator.stub().createVolume(create(replicated));
        creator.stub().createVolume(create(plain));
        byte[] first = "written at site A".getBytes(StandardCharsets.UTF_8);
        write(volumeFile(primary, replicated), 3 << 20, first);

        Path copy = volumeFile(secondary, replicated);
        Eventually.await(
                REPLICATED, "the bytes on the target", () -> Arrays.equals(first, read(copy, 3 << 20, first.length)));
        Instant synced = awaitSync(replicated, null);
        assertFalse(Files.exists(volumeFile(secondary, plain)), "a volume that is not replicated is not copied");
        assertNull(scheduler.volume(plain).orElseThrow().lastSyncAt());

        byte[] second = "and more, later".getBytes(StandardCharsets.UTF_8);
        write(volumeFile(primary, replicated), 5 << 20, second);
        Eventually.await(
                REPLICATED,
                "the second write on the target",
                () -> Arrays.equals(second, read(copy, 5 << 20, second.length)));
        awaitSync(replicated, synced);
        assertArrayEquals(first, read(copy, 3 << 20, first.length), "the first write is still there");

        // A failover commits (epoch 1 on the target): every member is stale until it converges, and the holder
        // gives the key up instead of copying from a site that is no longer active.
        scheduler.commit(CLUSTER, 1, "secondary", "failed-over");
        Eventually.await(
                REPLICATED,
                "the key to be given up",
                () -> nodes.etcd().replicators().holder(CLUSTER).isEmpty());
        assertTrue(
                members.stream().noneMatch(m -> m.stub().getNodeStatus(status()).getReplicator()));
    }

    private TestNodes.Node awaitOneHolder(List<TestNodes.Node> candidates) {
        return Eventually.awaitValue(REPLICATED, "exactly one replicator among " + candidates.size(), () -> {
            List<TestNodes.Node> holders = candidates.stream()
                    .filter(m -> m.stub().getNodeStatus(status()).getReplicator())
                    .toList();
            return holders.size() == 1 ? Optional.of(holders.get(0)) : Optional.empty();
        });
    }

    private Instant awaitSync(UUID id, Instant after) {
        return Eventually.awaitValue(
                REPLICATED,
                "a sync of " + id + " after " + after,
                () -> scheduler.volume(id).map(VolumeRow::lastSyncAt).filter(at -> after == null || at.isAfter(after)));
    }

    private static Path volumeFile(Path site, UUID id) {
        return site.resolve("volumes").resolve("volume-" + id);
    }

    private static void write(Path file, long offset, byte[] bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file, long offset, int length) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.read(buffer, offset);
            return buffer.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
