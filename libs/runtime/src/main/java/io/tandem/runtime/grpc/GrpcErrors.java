package io.tandem.runtime.grpc;

import io.grpc.Status;
import io.tandem.core.error.AbortedException;
import io.tandem.core.error.AlreadyExistsException;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.core.error.NotFoundException;
import io.tandem.core.error.TandemException;
import io.tandem.core.error.UnavailableException;
import io.tandem.core.error.UnimplementedException;
import java.util.Optional;

/**
 * The one table from Tandem's exception hierarchy to gRPC status codes. Only the exception's message crosses the
 * wire: causes and stack traces stay in this process's log.
 */
public final class GrpcErrors {
    private GrpcErrors() {}

    /** The status for {@code error}, or empty when it is not one of Tandem's (an internal fault). */
    public static Optional<Status> statusOf(Throwable error) {
        if (!(error instanceof TandemException)) {
            return Optional.empty();
        }
        return Optional.of(codeOf((TandemException) error).withDescription(error.getMessage()));
    }

    private static Status codeOf(TandemException error) {
        if (error instanceof InvalidArgumentException) {
            return Status.INVALID_ARGUMENT;
        } else if (error instanceof NotFoundException) {
            return Status.NOT_FOUND;
        } else if (error instanceof AlreadyExistsException) {
            return Status.ALREADY_EXISTS;
        } else if (error instanceof FailedPreconditionException) {
            return Status.FAILED_PRECONDITION;
        } else if (error instanceof AbortedException) {
            return Status.ABORTED;
        } else if (error instanceof UnavailableException) {
            return Status.UNAVAILABLE;
        } else if (error instanceof UnimplementedException) {
            return Status.UNIMPLEMENTED;
        }
        return Status.INTERNAL;
    }
}
