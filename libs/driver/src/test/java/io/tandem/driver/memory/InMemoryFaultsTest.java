package io.tandem.driver.memory;

import static io.tandem.driver.memory.InMemoryDriverTest.setUp;
import static io.tandem.driver.memory.InMemoryDriverTest.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.DriverException;
import io.tandem.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of injected fault, armed from a test and from options, and the call counters. */
class InMemoryFaultsTest {
    private static final String BACKEND = "faults-test";
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final ExecutorService calls = Executors.newCachedThreadPool();
    private Faults faults;
    private InMemoryDriver node1;
    private InMemoryDriver node2;

    @BeforeEach
    void setUpNodes() {
        InMemoryDriver.reset(BACKEND);
        faults = InMemoryDriver.faults(BACKEND);
        node1 = setUp("node-1", BACKEND, Map.of());
        node2 = setUp("node-2", BACKEND, Map.of());
    }

    @AfterEach
    void releaseEverything() {
        InMemoryDriver.reset(BACKEND);
        calls.shutdownNow();
    }

    @Test
    void aDelayHoldsTheCallAtLeastThatLong() {
        faults.delay(Operation.CREATE, Duration.ofMillis(300));

        long start = System.nanoTime();
        node1.createVolume(volume("v1", 1));

        assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
        assertTrue(node1.backend().sizeGb("v1").isPresent());
    }

    @Test
    void aHangHoldsCallsOfEveryNodeUntilReleased() throws Exception {
        Hang hang = faults.hang(Operation.CREATE);
        CompletableFuture<?> first = async(() -> node1.createVolume(volume("v1", 1)));
        CompletableFuture<?> second = async(() -> node2.createVolume(volume("v2", 1)));

        Eventually.await(DEADLINE, "both creates held", () -> hang.waiting() == 2);
        assertFalse(first.isDone() || second.isDone());
        assertEquals(Map.of(), node1.backend().volumes(), "nothing is created while held");
        node1.deleteVolume(volume("v3", 1)); // other operations are not held

        hang.release();

        first.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        second.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(Map.of("v1", 1, "v2", 1), node1.backend().volumes());
        assertEquals(0, hang.waiting());
        node1.createVolume(volume("v4", 1)); // a released hang lets later calls through
    }

    @Test
    void aHangWithATimeoutFailsTheCall() {
        faults.hang(Operation.DELETE, Duration.ofMillis(200));
        node1.createVolume(volume("v1", 1));

        long start = System.nanoTime();
        DriverException failure = assertThrows(DriverException.class, () -> node1.deleteVolume(volume("v1", 1)));

        assertTrue(System.nanoTime() - start >= Duration.ofMillis(200).toNanos());
        assertTrue(failure.getMessage().contains("timed out"), failure.getMessage());
        assertTrue(node1.backend().sizeGb("v1").isPresent(), "a timed-out delete deleted nothing");
    }

    @Test
    void resetReleasesHeldCalls() throws Exception {
        Hang hang = faults.hang(Operation.EXTEND);
        node1.createVolume(volume("v1", 1));
        CompletableFuture<?> extend = async(() -> node1.extendVolume(volume("v1", 1), 2));
        Eventually.await(DEADLINE, "extend held", () -> hang.waiting() == 1);

        InMemoryDriver.reset(BACKEND);

        // The volume was reset away, so the released extend fails; what matters is that it returns.
        ExecutionException outcome =
                assertThrows(ExecutionException.class, () -> extend.get(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertTrue(outcome.getCause() instanceof DriverException, outcome.toString());
    }

    @Test
    void failOnCallFailsOnlyThatCallCountedFromWhenItIsArmed() {
        node1.createVolume(volume("before", 1));
        faults.failOnCall(Operation.CREATE, 3);

        node1.createVolume(volume("v1", 1));
        node2.createVolume(volume("v2", 1));
        DriverException failure = assertThrows(DriverException.class, () -> node1.createVolume(volume("v3", 1)));
        node2.createVolume(volume("v4", 1));

        assertTrue(failure.getMessage().contains("Injected failure of create"), failure.getMessage());
        assertEquals(
                Map.of("before", 1, "v1", 1, "v2", 1, "v4", 1), node1.backend().volumes());
        assertEquals(5, faults.calls(Operation.CREATE));
    }

    @Test
    void failFromCallFailsThatCallAndEveryLaterOne() {
        faults.failFromCall(Operation.DELETE, 2);

        node1.deleteVolume(volume("v1", 1));
        assertThrows(DriverException.class, () -> node2.deleteVolume(volume("v1", 1)));
        assertThrows(DriverException.class, () -> node1.deleteVolume(volume("v1", 1)));

        faults.clear(Operation.DELETE);
        node1.deleteVolume(volume("v1", 1));
    }

    @Test
    void countersCountEveryCallPerOperationAndPerVolumeOverAllNodes() {
        node1.createVolume(volume("v1", 1));
        faults.failOnCall(Operation.DELETE, 2);
        node1.deleteVolume(volume("v1", 1));
        assertThrows(DriverException.class, () -> node2.deleteVolume(volume("v1", 1)));
        node2.deleteVolume(volume("v2", 1));
        node1.capacity();

        assertEquals(3, faults.calls(Operation.DELETE));
        assertEquals(2, faults.calls(Operation.DELETE, "v1"));
        assertEquals(1, faults.calls(Operation.DELETE, "v2"));
        assertEquals(0, faults.calls(Operation.DELETE, "v3"));
        assertEquals(1, faults.calls(Operation.CREATE, "v1"));
        assertEquals(1, faults.calls(Operation.CAPACITY));
        assertEquals(0, faults.calls(Operation.EXTEND));

        faults.reset();
        assertEquals(0, faults.calls(Operation.DELETE));
        assertEquals(0, faults.calls(Operation.DELETE, "v1"));
    }

    @Test
    void aFailingThawIsReported() {
        faults.failFromCall(Operation.THAW, 1);

        assertThrows(DriverException.class, node1::thawBackend);
        node1.freezeBackend();
    }

    @Test
    void aHangInAnotherProcessIsReleasedByAFile(@TempDir Path dir) throws Exception {
        Path go = dir.resolve("go");
        InMemoryDriver slow = setUp("node-3", BACKEND, Map.of("hang.create.release-file", go.toString()));
        CompletableFuture<?> create = async(() -> slow.createVolume(volume("v1", 1)));
        Eventually.await(
                DEADLINE,
                "create held",
                () -> faults.currentHang(Operation.CREATE).waiting() == 1);
        assertFalse(create.isDone());

        Files.createFile(go);

        create.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertTrue(slow.backend().sizeGb("v1").isPresent());
    }

    private CompletableFuture<?> async(Runnable call) {
        return CompletableFuture.runAsync(call, calls);
    }
}
