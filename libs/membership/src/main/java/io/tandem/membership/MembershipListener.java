package io.tandem.membership;

/**
 * Changes to one cluster's live members, delivered in etcd revision order on the watch's own thread (one call at a
 * time), each change exactly once, across etcd restarts and reconnects.
 */
public interface MembershipListener {

    /** A member key appeared: a node registered (or registered again after losing its lease). */
    void joined(MemberInfo member);

    /** A live member published a new value (typically a new epoch served). */
    void updated(MemberInfo member);

    /** A member key vanished: the node closed its registration or its lease expired. */
    void left(String host);

    /**
     * The watch could not be resumed where it stopped because etcd compacted that history (or the watch was started
     * without a revision): this is the complete membership as of {@code snapshot.revision()}; replace whatever view the
     * listener held. Changes after that revision follow as ordinary events.
     */
    void resynced(MemberSnapshot snapshot);
}
