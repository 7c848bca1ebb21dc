package io.tandem.membership;

import io.etcd.jetcd.Client;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the parts of one {@link EtcdMembership} share: the etcd client, configuration, key layout, call helper, a timer
 * for lease watchdogs, the thread on which lease-loss listeners run (kept apart from the timer so that a slow listener
 * cannot delay another registration's watchdog), and the open registrations and watches that closing the membership
 * must close.
 */
record EtcdContext(
        Client client,
        MembershipConfig config,
        EtcdKeys keys,
        EtcdCalls calls,
        ScheduledExecutorService timer,
        ExecutorService callbacks,
        Set<AutoCloseable> open) {

    /** Remembers {@code handle} for {@link EtcdMembership#close()}. */
    <T extends AutoCloseable> T track(T handle) {
        // Drop handles that are finished already (closed by their owner, or a lost lease) so the set stays small.
        open.removeIf(h -> h instanceof Registration r ? !r.isLive() : ((WatchHandle) h).isClosed());
        open.add(handle);
        return handle;
    }
}
