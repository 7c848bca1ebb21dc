package io.tandem.driver.memory;

import io.tandem.driver.DriverException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hang armed on one operation: every call of it blocks until the test calls {@link #release()}, until an optional
 * release file appears (how a test releases a driver in another process), or until an optional timeout passes, which
 * fails the call as a backend that gave up would. Once released, calls pass straight through.
 *
 * <p>{@link #waiting()} lets a test know that a call has reached the backend (and is held there) without guessing
 * with sleeps.
 */
public final class Hang {
    // How often a hang with a release file looks for it; a file cannot be waited on without polling.
    private static final long RELEASE_FILE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final CountDownLatch released = new CountDownLatch(1);
    private final Duration timeout;
    private final Path releaseFile;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger entered = new AtomicInteger();

    /**
     * @param timeout how long a call hangs before it fails; null = until released
     * @param releaseFile a file whose appearance releases the hang; null = none
     */
    Hang(Duration timeout, Path releaseFile) {
        this.timeout = timeout;
        this.releaseFile = releaseFile;
    }

    /** Lets every held call, and every later one, proceed. */
    public void release() {
        released.countDown();
    }

    /** True once released. */
    public boolean released() {
        return released.getCount() == 0;
    }

    /** How many calls are held right now. */
    public int waiting() {
        return waiting.get();
    }

    /** How many calls reached this hang in total (held or passed). */
    public int entered() {
        return entered.get();
    }

    Duration timeout() {
        return timeout;
    }

    Path releaseFile() {
        return releaseFile;
    }

    /** Blocks the calling operation as configured. */
    void await(Operation operation, String volumeId) {
        entered.incrementAndGet();
        waiting.incrementAndGet();
        try {
            if (!awaitRelease()) {
                throw new DriverException(
                        "Injected hang of " + operation.key() + describe(volumeId) + " timed out after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("Interrupted in an injected hang of " + operation.key() + describe(volumeId), e);
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** @return false on timeout */
    private boolean awaitRelease() throws InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            if (releaseFile != null && Files.exists(releaseFile)) {
                release();
            }
            long left = timeout == null ? Long.MAX_VALUE : deadline - System.nanoTime();
            if (left <= 0) {
                return released();
            }
            long wait = releaseFile == null ? left : Math.min(left, RELEASE_FILE_POLL_NANOS);
            if (released.await(wait, TimeUnit.NANOSECONDS)) {
                return true;
            }
        }
    }

    static String describe(String volumeId) {
        return volumeId == null ? "" : " of volume " + volumeId;
    }
}
