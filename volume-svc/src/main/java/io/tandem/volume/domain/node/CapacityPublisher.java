package io.tandem.volume.domain.node;

import io.tandem.membership.CapacityStats;
import io.tandem.membership.Registration;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the driver's capacity under {@code stats/<cluster>/<host>} on the node's lease, where the scheduler's
 * capacity filter and weigher read it: right after each registration, every {@code stats-interval}, and soon after
 * each create, delete and extend. Requests after volume changes are coalesced, so a burst of creates costs one
 * publication, not one each.
 */
@Singleton
public class CapacityPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CapacityPublisher.class);

    private final NodeState state;
    private final NodeExecutors executors;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile Supplier<Optional<Registration>> registration = Optional::empty;
    private volatile ScheduledFuture<?> periodic;
    private volatile CapacityStats last;

    public CapacityPublisher(NodeState state, NodeExecutors executors) {
        this.state = state;
        this.executors = executors;
    }

    /** Starts the periodic publication on whatever registration is live at each tick. */
    void start(Supplier<Optional<Registration>> liveRegistration, Duration interval) {
        this.registration = liveRegistration;
        long millis = interval.toMillis();
        periodic = executors.timer().scheduleWithFixedDelay(this::publishNow, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** A volume was created, deleted or extended: publish soon. Never blocks the caller. */
    public void changed() {
        if (periodic == null || !pending.compareAndSet(false, true)) {
            return;
        }
        try {
            executors.timer().execute(() -> {
                pending.set(false);
                publishNow();
            });
        } catch (RejectedExecutionException e) {
            pending.set(false); // shutting down
        }
    }

    /** Publishes on {@code target} now (a new registration must carry stats before the node counts as placeable). */
    void publishOn(Registration target) {
        ServingNode node = state.nodeOrNull();
        if (node == null) {
            return;
        }
        CapacityStats stats;
        try {
            var report = node.driver().capacity();
            stats = new CapacityStats(report.totalBytes(), report.freeBytes(), Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("Cannot read the capacity of {}: {}", node.identity().describe(), e.getMessage());
            return;
        }
        try {
            target.putStats(stats).join();
            last = stats;
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            LOG.warn("Cannot publish the capacity of {}: {}", node.identity().describe(), cause.getMessage());
        }
    }

    /** The stats last published, if any. */
    public Optional<CapacityStats> lastPublished() {
        return Optional.ofNullable(last);
    }

    @Override
    public void close() {
        ScheduledFuture<?> timer = periodic;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void publishNow() {
        registration.get().ifPresent(this::publishOn);
    }
}
