package io.tandem.replication.domain.failover;

import io.tandem.persistence.failover.FailoverRepository;
import java.util.Set;

/**
 * The phases of a journal row (common.proto's FailoverPhase) and which phase may follow which. The coordinator's
 * table maps each unfinished phase to the step that leaves it; a step may only reach one of {@link #successors()}.
 */
public enum Phase {
    CLAIMED("claimed"),
    DRAINING("draining"),
    PROMOTING("promoting"),
    COMPLETING("completing"),
    COMPLETED("completed"),
    COMPLETED_WITH_FENCED_MEMBERS("completed-with-fenced-members"),
    FAILED("failed"),
    REVERTED("reverted");

    private final String stored;

    Phase(String stored) {
        this.stored = stored;
    }

    /** The value of the journal's {@code phase} column. */
    public String stored() {
        return stored;
    }

    /**
     * True for the final phases; a final row has no owner and is never resumed. The journal's list decides ({@link
     * FailoverRepository#FINAL_PHASES}, the phases it sets {@code finished_at} for), so that the coordinator cannot
     * stop at a phase the journal would still count as unfinished, nor run on from one it has finished.
     */
    public boolean terminal() {
        return FailoverRepository.FINAL_PHASES.contains(stored);
    }

    /** The phases a step may move this one to; none from a {@link #terminal()} phase. */
    public Set<Phase> successors() {
        if (terminal()) {
            return Set.of();
        }
        return switch (this) {
            case CLAIMED -> Set.of(DRAINING);
            case DRAINING -> Set.of(PROMOTING);
                // The promote's outcome decides: committed, rejected target (nothing changed), or driver error.
            case PROMOTING -> Set.of(COMPLETING, REVERTED, FAILED);
            case COMPLETING -> Set.of(COMPLETED, COMPLETED_WITH_FENCED_MEMBERS);
                // Final in the journal, answered above; reaching this means the two lists disagree.
            case COMPLETED, COMPLETED_WITH_FENCED_MEMBERS, FAILED, REVERTED -> throw new IllegalStateException(
                    stored + " is not among the journal's final phases " + FailoverRepository.FINAL_PHASES);
        };
    }

    /** The phase of a stored value. */
    public static Phase of(String stored) {
        for (Phase phase : values()) {
            if (phase.stored.equals(stored)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("unknown failover phase " + stored);
    }
}
