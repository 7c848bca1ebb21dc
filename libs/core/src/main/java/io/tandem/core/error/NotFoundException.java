package io.tandem.core.error;

/** The named resource (cluster, service, volume, failover) does not exist. gRPC NOT_FOUND. */
public class NotFoundException extends TandemException {
    public NotFoundException(String message) {
        super(message);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
