package io.tandem.driver.memory;

import static io.tandem.driver.memory.InMemoryDriverTest.setUp;
import static io.tandem.driver.memory.InMemoryDriverTest.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.driver.DriverException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Faults configured through driver options, as a separate volume-svc process gets them. */
class InMemoryOptionsTest {
    private static final String BACKEND = "options-test";

    @BeforeEach
    @AfterEach
    void empty() {
        InMemoryDriver.reset(BACKEND);
    }

    @Test
    void aDelayOptionSlowsTheOperation() {
        InMemoryDriver driver = setUp("node-1", BACKEND, Map.of("delay.create", "250ms"));

        long start = System.nanoTime();
        driver.createVolume(volume("v1", 1));

        assertTrue(System.nanoTime() - start >= Duration.ofMillis(250).toNanos());
    }

    @Test
    void aFailureOptionIsNotRestartedByAnotherNodeSetUpWithTheSameOptions() {
        Map<String, String> options = Map.of("fail.create.on-call", "2");
        InMemoryDriver node1 = setUp("node-1", BACKEND, options);
        node1.createVolume(volume("v1", 1));

        InMemoryDriver node2 = setUp("node-2", BACKEND, options);

        assertThrows(DriverException.class, () -> node2.createVolume(volume("v2", 1)));
        node1.createVolume(volume("v3", 1));
    }

    @Test
    void aFailureFromOptionFailsEveryLaterCall() {
        InMemoryDriver driver = setUp("node-1", BACKEND, Map.of("fail.initialize-connection.from-call", "1"));
        driver.createVolume(volume("v1", 1));

        assertThrows(DriverException.class, () -> driver.initializeConnection(volume("v1", 1)));
        assertThrows(DriverException.class, () -> driver.initializeConnection(volume("v1", 1)));
    }

    @Test
    void aHangOptionWithATimeoutFailsTheCallAfterIt() {
        InMemoryDriver driver =
                setUp("node-1", BACKEND, Map.of("hang.create", "true", "hang.create.timeout", "PT0.2S"));
        Hang hang = InMemoryDriver.faults(BACKEND).currentHang(Operation.CREATE);
        assertNotNull(hang);

        assertThrows(DriverException.class, () -> driver.createVolume(volume("v1", 1)));
        assertEquals(1, hang.entered());
    }

    @Test
    void aSetupFailureOptionFailsTheNodesStart() {
        DriverException failure =
                assertThrows(DriverException.class, () -> setUp("node-1", BACKEND, Map.of("fail.setup.on-call", "1")));

        assertTrue(failure.getMessage().contains("setup"), failure.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "colour, blue",
        "delay.create, soon",
        "delay.create, -PT1S",
        "delay.create.timeout, 1s",
        "fail.explode.on-call, 1",
        "fail.create, 1",
        "fail.create.on-call, 0",
        "hang.create, maybe",
        "hang.create.forever, 1",
        "capacity-gb, -1",
    })
    void badOptionsFailSetupNamingTheKey(String key, String value) {
        DriverException refused =
                assertThrows(DriverException.class, () -> setUp("node-1", BACKEND, Map.of(key, value)));

        assertTrue(refused.getMessage().contains(key), refused.getMessage());
    }
}
