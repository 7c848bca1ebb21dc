package io.tandem.core.error;

/** The RPC exists in the contract but its capability is not built yet. Never a stub that pretends to succeed. gRPC UNIMPLEMENTED. */
public class UnimplementedException extends TandemException {
    public UnimplementedException(String message) {
        super(message);
    }

    public UnimplementedException(String message, Throwable cause) {
        super(message, cause);
    }
}
