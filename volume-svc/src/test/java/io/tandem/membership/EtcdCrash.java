package io.tandem.membership;

/**
 * Simulates a node that dies without saying goodbye: its etcd client is closed, so keepalives stop and nothing is
 * revoked; its keys vanish only when the server expires its lease, as after a kill -9. Lives in the membership package
 * because {@link EtcdMembership#client()} is package-private for exactly this use.
 */
public final class EtcdCrash {
    private EtcdCrash() {}

    public static void cutOff(EtcdMembership membership) {
        membership.client().close();
    }
}
