package io.tandem.membership;

/**
 * A running, self-resuming etcd watch. {@link #close()} waits for a listener call in progress to finish (unless called
 * from within the listener) and no listener call starts after it returns.
 */
public interface WatchHandle extends AutoCloseable {

    /** The last etcd revision whose changes have been delivered (or the revision of the last resync snapshot). */
    long lastRevision();

    boolean isClosed();

    @Override
    void close();
}
