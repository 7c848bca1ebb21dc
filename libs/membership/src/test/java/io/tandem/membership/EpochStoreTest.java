package io.tandem.membership;

import static io.tandem.membership.TestConfigs.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.kv.GetResponse;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.testing.Eventually;
import io.tandem.testing.TestEtcd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The epoch key: read, monotonic write under races, and the watch, against the JVM's shared etcd. */
class EpochStoreTest {
    private static final String SCOPE = "c1@lvm";

    private EtcdMembership membership;
    private EpochStore epochs;

    @BeforeEach
    void connect() {
        membership = EtcdMembership.connect(config(TestEtcd.shared().endpoint()));
        epochs = membership.epochs();
    }

    @AfterEach
    void disconnect() {
        membership.close();
    }

    @Test
    void readsEmptyThenWhatWasWritten() {
        assertEquals(Optional.empty(), epochs.read(SCOPE));
        assertEquals(new EpochRecord(1, "site-b"), epochs.write(SCOPE, new EpochRecord(1, "site-b")));
        assertEquals(Optional.of(new EpochRecord(1, "site-b")), epochs.read(SCOPE));
        assertEquals(
                Optional.of(new EpochRecord(1, "site-b")),
                epochs.readAsync(SCOPE).join());
    }

    @Test
    void anOlderEpochNeverOverwritesANewerOne() {
        epochs.write(SCOPE, new EpochRecord(5, "site-c"));
        assertEquals(new EpochRecord(5, "site-c"), epochs.write(SCOPE, new EpochRecord(4, "site-b")));
        assertEquals(new EpochRecord(5, "site-c"), epochs.read(SCOPE).orElseThrow());
    }

    @Test
    void writingTheSameEpochAgainChangesNothing() throws Exception {
        epochs.write(SCOPE, new EpochRecord(2, null));
        long before = modRevision();
        assertEquals(new EpochRecord(2, null), epochs.write(SCOPE, new EpochRecord(2, null)));
        assertEquals(before, modRevision(), "an idempotent rewrite must not touch the key");
        assertThrows(FailedPreconditionException.class, () -> epochs.write(SCOPE, new EpochRecord(2, "site-b")));
    }

    @Test
    void racingWritersLeaveTheHighestEpoch() throws Exception {
        int writers = 8;
        int rounds = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < rounds; round++) {
                String scope = "race-" + round;
                List<Long> order = new ArrayList<>(
                        LongStream.rangeClosed(1, writers).boxed().toList());
                Collections.shuffle(order);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<EpochRecord>> results = new ArrayList<>();
                for (long epoch : order) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return epochs.write(scope, new EpochRecord(epoch, "b" + epoch));
                    }));
                }
                go.countDown();
                for (int i = 0; i < writers; i++) {
                    // Each writer ends with its own record or a newer one, never an older one.
                    assertTrue(results.get(i).get().epoch() >= order.get(i));
                }
                assertEquals(
                        new EpochRecord(writers, "b" + writers),
                        epochs.read(scope).orElseThrow());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void watchDeliversTheCurrentEpochThenNewOnesInOrder() {
        epochs.write(SCOPE, new EpochRecord(1, null));
        Recorder recorder = new Recorder();
        try (WatchHandle watch = epochs.watch(SCOPE, recorder)) {
            Eventually.await(Duration.ofSeconds(5), "the current epoch", () -> recorder.saw("epoch 1 null"));
            for (long epoch = 2; epoch <= 6; epoch++) {
                epochs.write(SCOPE, new EpochRecord(epoch, "b" + epoch));
            }
            // Refused by the store, so the watch must not see it either.
            epochs.write(SCOPE, new EpochRecord(3, "stale"));
            Eventually.await(Duration.ofSeconds(5), "epoch 6", () -> recorder.saw("epoch 6 b6"));
            assertEquals(
                    List.of("epoch 1 null", "epoch 2 b2", "epoch 3 b3", "epoch 4 b4", "epoch 5 b5", "epoch 6 b6"),
                    recorder.events());
            assertTrue(watch.lastRevision() > 0);
        }
    }

    private long modRevision() throws Exception {
        GetResponse response = membership
                .client()
                .getKVClient()
                .get(EtcdCalls.bytes(membership.keys().epoch(SCOPE)))
                .get();
        return response.getKvs().get(0).getModRevision();
    }
}
