package io.tandem.driver.memory;

import io.tandem.driver.DriverException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One in-memory storage backend: its volumes, capacity and faults. Backends live in a static registry keyed by
 * backend name, so every driver instance of a backend in this JVM (every node of a cluster run as contexts in one
 * test) sees the same volumes, as nodes sharing a filesystem do.
 *
 * <p>The volume map is the backend's whole truth; create and extend are synchronized only so that the capacity check
 * and the write are one step (two racing creates cannot both take the last free GiB).
 */
public final class InMemoryBackend {
    /** Generous, so benchmarks with many volumes fit unless a test sets a limit: 1 PiB. */
    public static final long DEFAULT_CAPACITY_GB = 1L << 20;

    private static final long GIB = 1L << 30;
    private static final ConcurrentMap<String, InMemoryBackend> REGISTRY = new ConcurrentHashMap<>();

    private final String name;
    private final Map<String, Integer> volumes = new ConcurrentHashMap<>();
    private final Faults faults = new Faults();
    private volatile long capacityGb = DEFAULT_CAPACITY_GB;
    // Kept beside the map, under this object's lock, so capacity checks cost nothing with many volumes.
    private long usedGb;

    private InMemoryBackend(String name) {
        this.name = name;
    }

    /** The backend named {@code name}, made empty on first use. */
    public static InMemoryBackend named(String name) {
        if (name == null || name.isBlank()) {
            throw new DriverException("The in-memory driver needs a backend name");
        }
        return REGISTRY.computeIfAbsent(name, InMemoryBackend::new);
    }

    /**
     * Empties backend {@code name}: no volumes, default capacity, no faults (held calls are released), counters zero.
     * The object stays, so drivers already set up on it keep working.
     */
    public static void reset(String name) {
        InMemoryBackend backend = named(name);
        synchronized (backend) {
            backend.volumes.clear();
            backend.usedGb = 0;
            backend.capacityGb = DEFAULT_CAPACITY_GB;
        }
        backend.faults.reset();
    }

    public String name() {
        return name;
    }

    public Faults faults() {
        return faults;
    }

    public long capacityGb() {
        return capacityGb;
    }

    /** Sets the total capacity; volumes already there stay even if they no longer fit. */
    public InMemoryBackend capacityGb(long capacityGb) {
        if (capacityGb < 0) {
            throw new IllegalArgumentException("Capacity cannot be negative: " + capacityGb);
        }
        this.capacityGb = capacityGb;
        return this;
    }

    /** GiB taken by volumes. */
    public synchronized long usedGb() {
        return usedGb;
    }

    /** The size of volume {@code id} in GiB, if it exists. */
    public Optional<Integer> sizeGb(String id) {
        return Optional.ofNullable(volumes.get(id));
    }

    /** A sorted copy of the volumes: id → size in GiB. */
    public Map<String, Integer> volumes() {
        return new TreeMap<>(volumes);
    }

    long totalBytes() {
        return capacityGb * GIB;
    }

    long freeBytes() {
        return Math.max(0, capacityGb - usedGb()) * GIB;
    }

    /**
     * Creates volume {@code id}, with the shared-filesystem driver's idempotency: an existing volume of the same size
     * is accepted, a smaller one grown, a larger one refused.
     */
    synchronized void create(String id, int sizeGb) {
        Integer current = volumes.get(id);
        if (current != null && current > sizeGb) {
            throw new DriverException("Volume " + id + " already exists on in-memory backend " + name + " with "
                    + current + " GiB, more than the requested " + sizeGb);
        }
        reserve(id, sizeGb - (current == null ? 0 : current));
        volumes.put(id, sizeGb);
    }

    /** Grows volume {@code id}; its current size is fine, a smaller one is refused, a missing volume too. */
    synchronized void extend(String id, int newSizeGb) {
        Integer current = volumes.get(id);
        if (current == null) {
            throw new DriverException("Volume " + id + " does not exist on in-memory backend " + name);
        }
        if (current > newSizeGb) {
            throw new DriverException("Cannot shrink volume " + id + " from " + current + " to " + newSizeGb + " GiB");
        }
        reserve(id, newSizeGb - current);
        volumes.put(id, newSizeGb);
    }

    /** @return true when the volume existed */
    synchronized boolean delete(String id) {
        Integer removed = volumes.remove(id);
        if (removed != null) {
            usedGb -= removed;
        }
        return removed != null;
    }

    boolean exists(String id) {
        return volumes.containsKey(id);
    }

    /** Takes {@code moreGb} of free capacity for volume {@code id}; the caller holds this object's lock. */
    private void reserve(String id, long moreGb) {
        long free = capacityGb - usedGb;
        if (moreGb > free) {
            throw new DriverException("In-memory backend " + name + " has " + Math.max(0, free) + " GiB free, volume "
                    + id + " needs " + moreGb + " more");
        }
        usedGb += moreGb;
    }
}
