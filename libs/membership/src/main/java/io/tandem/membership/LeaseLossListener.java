package io.tandem.membership;

/**
 * Told, exactly once, that a {@link Registration}'s lease is lost or may be lost. The node must stop taking work at
 * once (stop replicating, refuse management calls), converge (re-read the cluster row), and register again. Called
 * on the membership library's own callback thread, never on a gRPC or timer thread, so it may block briefly (for
 * example to register again); it is not called after {@link Registration#close()}.
 */
@FunctionalInterface
public interface LeaseLossListener {

    /** Why the lease counts as lost. */
    enum Reason {
        /** etcd answered that the lease no longer exists (revoked by someone else, or expired). */
        REVOKED_OR_EXPIRED,
        /** The keepalive stream failed or ended (etcd stopped, connection dropped, client closed). */
        KEEPALIVE_FAILED,
        /**
         * No keepalive succeeded for a whole TTL: etcd is unreachable and the lease may have expired on the server, so
         * acting on it any longer could let two nodes do the same work.
         */
        KEEPALIVE_TIMED_OUT
    }

    void leaseLost(Registration registration, Reason reason);
}
