package io.tandem.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polling with a deadline, the only way tests wait for something asynchronous: the condition is checked every poll
 * interval until it holds or the deadline passes, and then the test fails with a message naming what it waited for.
 */
public final class Eventually {
    private static final Duration POLL = Duration.ofMillis(25);

    private Eventually() {}

    /** Waits until {@code condition} holds; fails with {@code what} after {@code deadline}. */
    public static void await(Duration deadline, String what, BooleanSupplier condition) {
        awaitValue(deadline, what, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Waits until {@code probe} yields a value, and returns it; fails with {@code what} after {@code deadline}. */
    public static <T> T awaitValue(Duration deadline, String what, Supplier<Optional<T>> probe) {
        long end = System.nanoTime() + deadline.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                Optional<T> value = probe.get();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (RuntimeException e) {
                // A dependency still starting may throw; keep polling and report the last error at the deadline.
                last = e;
            }
            if (System.nanoTime() - end > 0) {
                AssertionError failure = new AssertionError("Timed out after " + deadline + " waiting for " + what);
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            LockSupport.parkNanos(POLL.toNanos());
            if (Thread.interrupted()) {
                throw new AssertionError("Interrupted while waiting for " + what);
            }
        }
    }
}
