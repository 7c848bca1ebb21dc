package io.tandem.core.error;

/**
 * Root of Tandem's one exception hierarchy. Each subclass names what the caller should do next, and the gRPC layer
 * maps each subclass to exactly one status code in one place ({@code io.tandem.runtime.grpc.GrpcErrors}).
 * Messages are written for operators: they name the resource and the condition, never an internal cause. Causes are
 * kept for logs only and never leave the process.
 */
public abstract class TandemException extends RuntimeException {
    protected TandemException(String message) {
        super(message);
    }

    protected TandemException(String message, Throwable cause) {
        super(message, cause);
    }
}
