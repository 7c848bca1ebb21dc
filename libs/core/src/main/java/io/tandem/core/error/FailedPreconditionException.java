package io.tandem.core.error;

/** The resource is not in a state that allows the operation (frozen, failing over, stale epoch, lost the race for a state change); do not retry until the state is fixed. gRPC FAILED_PRECONDITION. */
public class FailedPreconditionException extends TandemException {
    public FailedPreconditionException(String message) {
        super(message);
    }

    public FailedPreconditionException(String message, Throwable cause) {
        super(message, cause);
    }
}
