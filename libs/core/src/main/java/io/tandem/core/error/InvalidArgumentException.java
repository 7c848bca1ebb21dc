package io.tandem.core.error;

/** The request itself is wrong (unknown backend id, malformed field); retrying it unchanged cannot succeed. gRPC INVALID_ARGUMENT. */
public class InvalidArgumentException extends TandemException {
    public InvalidArgumentException(String message) {
        super(message);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
