package io.tandem.core.error;

/** The resource to create exists already and the operation is not idempotent for it. gRPC ALREADY_EXISTS. */
public class AlreadyExistsException extends TandemException {
    public AlreadyExistsException(String message) {
        super(message);
    }

    public AlreadyExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
