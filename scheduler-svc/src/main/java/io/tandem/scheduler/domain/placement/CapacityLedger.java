package io.tandem.scheduler.domain.placement;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * What this scheduler has placed on each target, so that placements count against stats published before them
 * (Cinder's {@code consume_from_volume}): free capacity = the member's last published free bytes minus every
 * placement made at or after that publication. Without it, a burst of creates would all read the same stats and
 * pick the same target. Entries are forgotten after the retention, when fresher stats certainly cover them.
 *
 * <p>The stats' timestamp comes from the member's clock and the placement's from this one; a skew between them
 * shifts which placements count by that much, which only matters within the refresh interval of a burst.
 */
public final class CapacityLedger {
    private final Duration retention;
    private final Supplier<Instant> clock;
    private final Map<String, ConcurrentLinkedDeque<Placed>> byTarget = new ConcurrentHashMap<>();

    /** One placement's capacity; {@link #release()} takes it back when the placement was not committed. */
    public final class Placed {
        private final String target;
        private final long bytes;
        private final Instant at;

        private Placed(String target, long bytes, Instant at) {
            this.target = target;
            this.bytes = bytes;
            this.at = at;
        }

        public void release() {
            ConcurrentLinkedDeque<Placed> entries = byTarget.get(target);
            if (entries != null) {
                entries.remove(this);
            }
        }
    }

    public CapacityLedger(Duration retention, Supplier<Instant> clock) {
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records {@code bytes} placed on {@code target} now. */
    public Placed record(String target, long bytes) {
        Placed placed = new Placed(target, bytes, clock.get());
        byTarget.computeIfAbsent(target, t -> new ConcurrentLinkedDeque<>()).addLast(placed);
        return placed;
    }

    /** Bytes placed on {@code target} at or after {@code since} (the timestamp of the stats being corrected). */
    public long placedSince(String target, Instant since) {
        ConcurrentLinkedDeque<Placed> entries = byTarget.get(target);
        if (entries == null) {
            return 0;
        }
        prune(entries);
        long sum = 0;
        for (Placed placed : entries) {
            if (!placed.at.isBefore(since)) {
                sum += placed.bytes;
            }
        }
        return sum;
    }

    private void prune(ConcurrentLinkedDeque<Placed> entries) {
        Instant horizon = clock.get().minus(retention);
        for (Iterator<Placed> it = entries.iterator(); it.hasNext(); ) {
            Placed placed = it.next();
            if (!placed.at.isBefore(horizon)) {
                return; // oldest first: the rest are younger
            }
            it.remove();
        }
    }
}
