package io.tandem.driver;

/** The failover target is not one this driver can fail over to; the cluster returns to its previous status. */
public final class InvalidReplicationTargetException extends DriverException {
    public InvalidReplicationTargetException(String message) {
        super(message);
    }
}
