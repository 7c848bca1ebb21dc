package io.tandem.volume.domain.lifecycle;

import io.tandem.core.error.FailedPreconditionException;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The volumes this node is working on right now. The workers row keeps nodes apart; this keeps apart two calls of the
 * same node on one volume (a scheduler retry racing the first call, or an RPC racing this node's own cleaner), which
 * the row cannot tell apart because both run as the same service. The sweep also reads it to know which of its own
 * rows are orphans and which are merely slow.
 */
@Singleton
public class InFlightVolumes {
    private final ConcurrentMap<UUID, Ticket> running = new ConcurrentHashMap<>();

    /**
     * Marks {@code volumeId} as worked on by {@code what} until the ticket is closed.
     *
     * @throws FailedPreconditionException when another call of this node is working on it
     */
    public Ticket enter(UUID volumeId, String what) {
        return tryEnter(volumeId, what)
                .orElseThrow(() -> new FailedPreconditionException("Volume " + volumeId
                        + " is busy on this node: "
                        + running.getOrDefault(volumeId, new Ticket(volumeId, "another call")).what
                        + " is running on it"));
    }

    /** As {@link #enter}, or empty when the volume is busy. */
    public Optional<Ticket> tryEnter(UUID volumeId, String what) {
        Ticket ticket = new Ticket(volumeId, what);
        return running.putIfAbsent(volumeId, ticket) == null ? Optional.of(ticket) : Optional.empty();
    }

    /** True while some call of this node works on {@code volumeId}. */
    public boolean contains(UUID volumeId) {
        return running.containsKey(volumeId);
    }

    /** How many volumes this node works on right now. */
    public int size() {
        return running.size();
    }

    /** One call's hold on a volume; closing it twice is harmless. Not tied to a thread: a cleaner hands it on. */
    public final class Ticket implements AutoCloseable {
        private final UUID volumeId;
        private final String what;

        private Ticket(UUID volumeId, String what) {
            this.volumeId = volumeId;
            this.what = what;
        }

        @Override
        public void close() {
            running.remove(volumeId, this);
        }
    }
}
