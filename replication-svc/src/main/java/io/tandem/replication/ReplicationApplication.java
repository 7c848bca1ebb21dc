package io.tandem.replication;

import io.tandem.runtime.TandemApplication;

/** Entry point of replication-svc: failover, failback, freeze/thaw, promote, cluster and service listing, the failover journal. */
public final class ReplicationApplication {
    private ReplicationApplication() {}

    public static void main(String[] args) {
        TandemApplication.run("tandem-replication", ReplicationApplication.class, args);
    }
}
