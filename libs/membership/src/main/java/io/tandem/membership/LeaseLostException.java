package io.tandem.membership;

import io.tandem.core.error.FailedPreconditionException;

/**
 * A write on a {@link Registration} whose lease is lost or closed. Retrying cannot help: the node has to converge and
 * register again, which is what FAILED_PRECONDITION tells a caller.
 */
public final class LeaseLostException extends FailedPreconditionException {
    public LeaseLostException(String message) {
        super(message);
    }
}
