package io.tandem.core.error;

/**
 * A management operation on a cluster (or non-clustered backend) that a failover or promote has claimed: refused
 * until it has finished, as a frozen backend refuses ({@link FrozenBackendException}).
 */
public final class BackendBusyException extends FailedPreconditionException {
    public BackendBusyException(String message) {
        super(message);
    }
}
