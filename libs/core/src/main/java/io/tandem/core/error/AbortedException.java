package io.tandem.core.error;

/** A transient compare-and-swap conflict: the caller may retry the whole higher-level sequence from the start. gRPC ABORTED. */
public class AbortedException extends TandemException {
    public AbortedException(String message) {
        super(message);
    }

    public AbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
