package io.tandem.driver.memory;

import io.tandem.driver.DriverException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults injected into one in-memory backend, shared by every driver instance of that backend (so by every node of
 * its cluster), and the call counters tests assert on. Per {@link Operation}:
 *
 * <ul>
 *   <li>a <b>delay</b> before the call does anything;
 *   <li>a <b>failure</b> of the Nth call, or of every call from the Nth, counted from when the rule is set;
 *   <li>a <b>hang</b> until released ({@link Hang});
 *   <li><b>counters</b> of calls, per operation and per volume id. Every call counts, including those that fail or
 *       find nothing to do, so "deleted exactly once" is {@code calls(DELETE, id) == 1}.
 * </ul>
 *
 * <p>A call is counted, then delayed, then held by the hang, then failed if its rule says so, then performed. Faults are
 * reachable from tests through {@link InMemoryDriver#faults(String)} and configurable by driver options ({@link
 * InMemoryDriver} lists the keys).
 */
public final class Faults {
    /** The mutable state of one operation; fields are volatile as tests arm faults while nodes call. */
    private static final class PerOperation {
        final AtomicLong calls = new AtomicLong();
        final Map<String, AtomicLong> callsByVolume = new ConcurrentHashMap<>();
        volatile Duration delay = Duration.ZERO;
        volatile FailRule fail;
        volatile Hang hang;
    }

    /**
     * Fails call number {@code base + n} (or every call from it when {@code andAfter}); {@code base} is the call count
     * when the rule was set, so "fail on call 1" means the next call whenever it is armed.
     */
    private record FailRule(long base, long n, boolean andAfter) {
        boolean fails(long call) {
            long relative = call - base;
            return andAfter ? relative >= n : relative == n;
        }

        boolean sameAs(long otherN, boolean otherAndAfter) {
            return n == otherN && andAfter == otherAndAfter;
        }
    }

    private final Map<Operation, PerOperation> operations = new EnumMap<>(Operation.class);

    Faults() {
        for (Operation operation : Operation.values()) {
            operations.put(operation, new PerOperation());
        }
    }

    /** Delays every call of {@code operation} by {@code delay} (zero: no delay). */
    public Faults delay(Operation operation, Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("A delay cannot be negative: " + delay);
        }
        state(operation).delay = delay;
        return this;
    }

    /** Fails only the {@code n}th call of {@code operation} from now (1 = the next one). */
    public Faults failOnCall(Operation operation, long n) {
        return fail(operation, n, false);
    }

    /** Fails the {@code n}th call of {@code operation} from now and every later one (1 = every call). */
    public Faults failFromCall(Operation operation, long n) {
        return fail(operation, n, true);
    }

    /**
     * Holds every call of {@code operation} until the returned hang is released; a hang already armed on it is
     * released first, so no call is stranded.
     */
    public Hang hang(Operation operation) {
        return hang(operation, null, null);
    }

    /** As {@link #hang(Operation)}, but a held call fails after {@code timeout}. */
    public Hang hang(Operation operation, Duration timeout) {
        return hang(operation, timeout, null);
    }

    /**
     * As {@link #hang(Operation)}, with an optional timeout and an optional file whose appearance releases the hang
     * (either may be null).
     */
    public Hang hang(Operation operation, Duration timeout, Path releaseFile) {
        Hang hang = new Hang(timeout, releaseFile);
        Hang previous = state(operation).hang;
        state(operation).hang = hang;
        if (previous != null) {
            previous.release();
        }
        return hang;
    }

    /** The hang armed on {@code operation}, or null. */
    public Hang currentHang(Operation operation) {
        return state(operation).hang;
    }

    /** Removes the delay, failure and hang of {@code operation} (releasing its held calls); counters stay. */
    public Faults clear(Operation operation) {
        PerOperation state = state(operation);
        state.delay = Duration.ZERO;
        state.fail = null;
        Hang hang = state.hang;
        state.hang = null;
        if (hang != null) {
            hang.release();
        }
        return this;
    }

    /** Removes every fault and zeroes every counter. */
    public void reset() {
        for (Operation operation : Operation.values()) {
            clear(operation);
            state(operation).calls.set(0);
            state(operation).callsByVolume.clear();
        }
    }

    /** Calls of {@code operation} since the last reset, on every node of the backend. */
    public long calls(Operation operation) {
        return state(operation).calls.get();
    }

    /** Calls of {@code operation} for volume {@code volumeId} since the last reset, on every node of the backend. */
    public long calls(Operation operation, String volumeId) {
        AtomicLong calls = state(operation).callsByVolume.get(volumeId);
        return calls == null ? 0 : calls.get();
    }

    /**
     * Runs the faults of one call: count, delay, hang, fail. Called by the driver first thing in every operation.
     *
     * @param volumeId the volume the call is about, or null
     * @throws DriverException when the call is to fail, times out in a hang, or is interrupted
     */
    void enter(Operation operation, String volumeId) {
        PerOperation state = state(operation);
        long call = state.calls.incrementAndGet();
        if (volumeId != null) {
            state.callsByVolume
                    .computeIfAbsent(volumeId, id -> new AtomicLong())
                    .incrementAndGet();
        }
        pause(operation, volumeId, state.delay);
        Hang hang = state.hang;
        if (hang != null) {
            hang.await(operation, volumeId);
        }
        FailRule fail = state.fail;
        if (fail != null && fail.fails(call)) {
            throw new DriverException(
                    "Injected failure of " + operation.key() + Hang.describe(volumeId) + " (call " + call + ")");
        }
    }

    /**
     * Arms a failure from options: a rule equal to the armed one is kept with its count, so that several nodes of one
     * JVM set up with the same options do not restart each other's count.
     */
    void configureFailure(Operation operation, long n, boolean andAfter) {
        FailRule armed = state(operation).fail;
        if (armed == null || !armed.sameAs(n, andAfter)) {
            fail(operation, n, andAfter);
        }
    }

    /** Arms a hang from options, keeping an equal one that is armed (for the same reason as failures). */
    void configureHang(Operation operation, Duration timeout, Path releaseFile) {
        Hang armed = state(operation).hang;
        boolean same = armed != null
                && !armed.released()
                && Objects.equals(armed.timeout(), timeout)
                && Objects.equals(armed.releaseFile(), releaseFile);
        if (!same) {
            hang(operation, timeout, releaseFile);
        }
    }

    private Faults fail(Operation operation, long n, boolean andAfter) {
        if (n < 1) {
            throw new IllegalArgumentException("Calls are numbered from 1, not " + n);
        }
        PerOperation state = state(operation);
        state.fail = new FailRule(state.calls.get(), n, andAfter);
        return this;
    }

    private static void pause(Operation operation, String volumeId, Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException(
                    "Interrupted in an injected delay of " + operation.key() + Hang.describe(volumeId), e);
        }
    }

    private PerOperation state(Operation operation) {
        return operations.get(operation);
    }
}
