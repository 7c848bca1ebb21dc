package io.tandem.cli;

import java.time.Duration;

/** Waits between polls ({@code --wait}); tests pass one that returns at once. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
