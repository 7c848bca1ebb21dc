package io.tandem.driver;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.driver.fs.SharedFilesystemDriver;
import io.tandem.driver.memory.InMemoryDriver;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Builds drivers by the name configured in {@code tandem.volume.driver}. A closed list rather than a service loader:
 * the reference drivers are all there is, and a misspelt name must fail the node's start with the allowed names
 * instead of loading nothing.
 */
public final class DriverFactory {
    private static final SortedMap<String, Supplier<VolumeDriver>> DRIVERS =
            Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
                    SharedFilesystemDriver.NAME, SharedFilesystemDriver::new,
                    InMemoryDriver.NAME, InMemoryDriver::new)));

    private DriverFactory() {}

    /**
     * A new, not yet set up driver named {@code name}.
     *
     * @throws InvalidArgumentException when no driver has that name; the message lists the names there are
     */
    public static VolumeDriver create(String name) {
        Supplier<VolumeDriver> driver = name == null ? null : DRIVERS.get(name.trim());
        if (driver == null) {
            throw new InvalidArgumentException(
                    "Unknown storage driver '" + name + "'; allowed: " + String.join(", ", DRIVERS.keySet()));
        }
        return driver.get();
    }

    /** The names {@link #create} accepts, sorted. */
    public static Set<String> names() {
        return DRIVERS.keySet();
    }
}
