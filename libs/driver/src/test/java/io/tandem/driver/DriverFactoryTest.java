package io.tandem.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.driver.fs.SharedFilesystemDriver;
import io.tandem.driver.memory.InMemoryDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriverFactoryTest {
    @Test
    void buildsANewDriverOfEachNameEveryTime() {
        assertInstanceOf(SharedFilesystemDriver.class, DriverFactory.create("shared-filesystem"));
        assertInstanceOf(InMemoryDriver.class, DriverFactory.create("in-memory"));
        assertNotSame(DriverFactory.create("in-memory"), DriverFactory.create("in-memory"));
        assertEquals(List.of("in-memory", "shared-filesystem"), List.copyOf(DriverFactory.names()));
    }

    @Test
    void theDriverNameMatchesItsCapabilities() {
        for (String name : DriverFactory.names()) {
            assertEquals(name, DriverFactory.create(name).capabilities().driverName());
        }
    }

    @Test
    void anUnknownNameIsAnInvalidArgumentListingTheAllowedOnes() {
        InvalidArgumentException refused =
                assertThrows(InvalidArgumentException.class, () -> DriverFactory.create("nfs"));
        assertTrue(refused.getMessage().contains("'nfs'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("in-memory, shared-filesystem"), refused.getMessage());

        assertThrows(InvalidArgumentException.class, () -> DriverFactory.create(null));
    }
}
