package io.tandem.driver.fs.replication;

import java.io.IOException;

/**
 * A sync was stopped by its caller's keep-going check (lease lost, new epoch, a failover on this node) before it
 * reached the last extent. Not a failure of the copy: the copy holds some extents of the new state and no metadata
 * vouches for it, so the next sync compares bytes and finishes the job.
 */
public final class SyncStoppedException extends IOException {
    public SyncStoppedException(String message) {
        super(message);
    }
}
