package io.tandem.driver.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.CapacityReport;
import io.tandem.driver.DriverContext;
import io.tandem.driver.DriverException;
import io.tandem.driver.ReplicationTarget;
import io.tandem.driver.VolumeSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-memory backend itself: shared by the nodes of a backend, idempotent, bounded by its capacity. */
class InMemoryDriverTest {
    private static final String BACKEND = "memory-test";
    private static final long GIB = 1L << 30;

    static DriverContext context(String host, String backend, String activeBackendId, Map<String, String> options) {
        return new DriverContext(
                host + "@" + backend,
                backend,
                activeBackendId,
                null,
                List.of(new ReplicationTarget("site-b", null)),
                options);
    }

    static InMemoryDriver setUp(String host, String backend, Map<String, String> options) {
        InMemoryDriver driver = new InMemoryDriver();
        driver.doSetup(context(host, backend, null, options));
        return driver;
    }

    static VolumeSpec volume(String id, int sizeGb) {
        return new VolumeSpec(id, sizeGb, null, false);
    }

    @BeforeEach
    void emptyBackends() {
        InMemoryDriver.reset(BACKEND);
        InMemoryDriver.reset("other");
    }

    @Test
    void nodesOfOneBackendShareItsVolumesAndOtherBackendsAreSeparate() {
        InMemoryDriver node1 = setUp("node-1", BACKEND, Map.of());
        InMemoryDriver node2 = setUp("node-2", BACKEND, Map.of());
        InMemoryDriver elsewhere = setUp("node-3", "other", Map.of());

        assertEquals(
                "memory://" + BACKEND + "/v1",
                node1.createVolume(volume("v1", 2)).providerLocation());

        assertEquals(
                Map.of("backend", BACKEND, "volume", "v1", "site", "default"),
                node2.initializeConnection(volume("v1", 2)).data());
        assertThrows(DriverException.class, () -> elsewhere.initializeConnection(volume("v1", 2)));
        node2.deleteVolume(volume("v1", 2));
        assertEquals(Map.of(), node1.backend().volumes());
    }

    @Test
    void operationsAreIdempotentAsOnTheSharedFilesystem() {
        InMemoryDriver driver = setUp("node-1", BACKEND, Map.of());
        InMemoryBackend backend = driver.backend();

        driver.createVolume(volume("v1", 1));
        driver.createVolume(volume("v1", 1));
        driver.createVolume(volume("v1", 2));
        assertEquals(Optional.of(2), backend.sizeGb("v1"));
        assertThrows(DriverException.class, () -> driver.createVolume(volume("v1", 1)));

        driver.extendVolume(volume("v1", 2), 2);
        driver.extendVolume(volume("v1", 2), 5);
        assertEquals(Optional.of(5), backend.sizeGb("v1"));
        assertThrows(DriverException.class, () -> driver.extendVolume(volume("v1", 5), 4));
        assertThrows(DriverException.class, () -> driver.extendVolume(volume("missing", 1), 4));

        driver.deleteVolume(volume("v1", 5));
        driver.deleteVolume(volume("v1", 5));
        assertEquals(Map.of(), backend.volumes());
    }

    @Test
    void capacityIsConfigurableAndCreatesBeyondItFail() {
        InMemoryDriver driver = setUp("node-1", BACKEND, Map.of("capacity-gb", "10"));

        driver.createVolume(volume("v1", 6));
        assertEquals(new CapacityReport(10 * GIB, 4 * GIB), driver.capacity());
        assertThrows(DriverException.class, () -> driver.createVolume(volume("v2", 6)));
        assertThrows(DriverException.class, () -> driver.extendVolume(volume("v1", 6), 11));
        assertFalse(driver.backend().sizeGb("v2").isPresent());

        driver.deleteVolume(volume("v1", 6));
        driver.createVolume(volume("v2", 10));
        assertEquals(new CapacityReport(10 * GIB, 0), driver.capacity());
    }

    @Test
    void resetEmptiesTheBackendAndRestoresTheDefaultCapacity() {
        InMemoryDriver driver = setUp("node-1", BACKEND, Map.of("capacity-gb", "10"));
        driver.createVolume(volume("v1", 1));

        InMemoryDriver.reset(BACKEND);

        assertEquals(Map.of(), driver.backend().volumes());
        assertEquals(0, driver.backend().usedGb());
        assertEquals(
                InMemoryBackend.DEFAULT_CAPACITY_GB * GIB, driver.capacity().totalBytes());
        assertEquals(1, InMemoryDriver.faults(BACKEND).calls(Operation.CAPACITY), "counters restart from zero");
    }

    @Test
    void theActiveBackendIdMustBeATarget() {
        InMemoryDriver onTarget = new InMemoryDriver();
        onTarget.doSetup(context("node-1", BACKEND, "site-b", Map.of()));
        assertEquals("site-b", onTarget.activeBackendId());
        onTarget.createVolume(volume("v1", 1));
        assertEquals(
                "site-b", onTarget.initializeConnection(volume("v1", 1)).data().get("site"));

        DriverException refused = assertThrows(DriverException.class, () -> new InMemoryDriver()
                .doSetup(context("node-1", BACKEND, "site-x", Map.of())));
        assertTrue(refused.getMessage().contains("site-x"), refused.getMessage());
    }

    @Test
    void operationsBeforeSetupAreRefused() {
        assertThrows(DriverException.class, () -> new InMemoryDriver().createVolume(volume("v1", 1)));
    }
}
