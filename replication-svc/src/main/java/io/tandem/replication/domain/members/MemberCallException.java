package io.tandem.replication.domain.members;

/**
 * A call to a volume node that did not succeed, classified by what the caller should do next. The message names the
 * node and its answer, for logs and the journal's error column.
 */
public final class MemberCallException extends Exception {
    /** What the answer means for the protocol. */
    public enum Outcome {
        /** The node rejected the request as invalid (INVALID_ARGUMENT: for a promote, an invalid target). */
        REJECTED,
        /** The node's driver failed (INTERNAL and every other definite error): asking another member will not help. */
        FAILED,
        /** The node could not do it now (unreachable, deadline, not serving, stale): ask another member or retry. */
        TRY_ANOTHER
    }

    private final Outcome outcome;

    public MemberCallException(Outcome outcome, String message) {
        super(message, null, false, false);
        this.outcome = outcome;
    }

    public Outcome outcome() {
        return outcome;
    }
}
