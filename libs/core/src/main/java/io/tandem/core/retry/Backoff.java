package io.tandem.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with full jitter: attempt {@code n} (1-based) waits a random time in
 * {@code [0, min(max, initial * 2^(n-1))]}. Jitter keeps racing nodes from retrying in lock step.
 *
 * @param maxAttempts total attempts, including the first; at least 1
 * @param initialDelay the upper bound of the first wait
 * @param maxDelay the cap for every wait
 */
public record Backoff(int maxAttempts, Duration initialDelay, Duration maxDelay) {
    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} attempts failed. */
    public Duration delayAfter(int attempt) {
        long cap = maxDelay.toNanos();
        long exp = initialDelay.toNanos() << Math.min(attempt - 1, 30);
        long bound = exp <= 0 ? cap : Math.min(cap, exp);
        return Duration.ofNanos(bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** Sleeps for {@link #delayAfter(int)}; an interrupt is restored and reported as {@link InterruptedException}. */
    public void pauseAfter(int attempt) throws InterruptedException {
        Duration d = delayAfter(attempt);
        if (!d.isZero()) {
            Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
        }
    }
}
