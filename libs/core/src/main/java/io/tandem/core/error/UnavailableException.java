package io.tandem.core.error;

/** A dependency (PostgreSQL, etcd, a member node) cannot be reached right now; retrying the same call later is safe. gRPC UNAVAILABLE. */
public class UnavailableException extends TandemException {
    public UnavailableException(String message) {
        super(message);
    }

    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
