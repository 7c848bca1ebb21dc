package io.tandem.scheduler.domain.placement;

import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.MemberSnapshot;
import io.tandem.membership.MembershipListener;
import io.tandem.membership.WatchHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live members of every target, kept by etcd watches rather than read per request: a member whose lease expires
 * drops out of placement and dispatch as soon as etcd deletes its key, and a member that moves to a new epoch is
 * seen at once. The first use of a target lists its members and watches from the revision after that listing, so
 * no change falls in between.
 *
 * <p>Non-clustered nodes all live under {@code members/_/}: one watch serves every one of them.
 */
public final class MemberDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberDirectory.class);

    private final EtcdMembership membership;
    private final Map<String, View> views = new ConcurrentHashMap<>();
    private final List<Consumer<MemberInfo>> joinListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<MemberInfo>> leaveListeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public MemberDirectory(EtcdMembership membership) {
        this.membership = Objects.requireNonNull(membership, "membership");
    }

    /** Called with a member that (re)joined, e.g. to reset a channel's reconnect backoff. */
    public void onJoin(Consumer<MemberInfo> listener) {
        joinListeners.add(listener);
    }

    /** Called with the last known value of a member whose key vanished. */
    public void onLeave(Consumer<MemberInfo> listener) {
        leaveListeners.add(listener);
    }

    /**
     * The live members of {@code target}, by host. The first call for a target reads etcd (and throws {@code
     * UnavailableException} when it cannot be reached); later calls answer from the watched view.
     */
    public List<MemberInfo> live(Target target) {
        View view = view(target.clusterName());
        List<MemberInfo> members = new ArrayList<>();
        for (MemberInfo member : view.members.values()) {
            if (target.isClustered() || target.host().equals(member.host())) {
                members.add(member);
            }
        }
        members.sort(Comparator.comparing(MemberInfo::host));
        return members;
    }

    /** The live members of {@code target} serving its current epoch: the only ones that get work. */
    public List<MemberInfo> serving(Target target) {
        return live(target).stream().filter(m -> m.epoch() == target.epoch()).toList();
    }

    @Override
    public void close() {
        closed = true;
        views.values().forEach(v -> v.watch.close());
        views.clear();
    }

    private View view(String cluster) {
        String key = cluster == null ? "" : cluster;
        View view = views.get(key);
        if (view != null) {
            return view;
        }
        // computeIfAbsent would hold a map bin lock during an etcd round trip. Views are made once per target, so
        // one lock for their creation costs nothing later.
        synchronized (this) {
            view = views.get(key);
            if (view == null) {
                if (closed) {
                    throw new IllegalStateException("member directory is closed");
                }
                view = View.start(membership, cluster, this);
                views.put(key, view);
            }
            return view;
        }
    }

    private static final class View implements MembershipListener {
        private final MemberDirectory owner;
        private final String cluster;
        private final Map<String, MemberInfo> members = new ConcurrentHashMap<>();
        private WatchHandle watch;

        private View(MemberDirectory owner, String cluster) {
            this.owner = owner;
            this.cluster = cluster;
        }

        static View start(EtcdMembership membership, String cluster, MemberDirectory owner) {
            MemberSnapshot snapshot = membership.liveMembers(cluster);
            View view = new View(owner, cluster);
            snapshot.members().forEach(m -> view.members.put(m.host(), m));
            view.watch = membership.watchMembers(cluster, snapshot.nextRevision(), view);
            LOG.info(
                    "Watching the members of {}: {} live at revision {}",
                    cluster == null ? "non-clustered nodes" : cluster,
                    snapshot.members().size(),
                    snapshot.revision());
            return view;
        }

        @Override
        public void joined(MemberInfo member) {
            members.put(member.host(), member);
            LOG.info("Member {} of {} joined, serving epoch {}", member.host(), cluster, member.epoch());
            owner.joinListeners.forEach(l -> l.accept(member));
        }

        @Override
        public void updated(MemberInfo member) {
            members.put(member.host(), member);
            LOG.info("Member {} of {} now serves epoch {}", member.host(), cluster, member.epoch());
        }

        @Override
        public void left(String host) {
            MemberInfo gone = members.remove(host);
            LOG.info("Member {} of {} left", host, cluster);
            if (gone != null) {
                owner.leaveListeners.forEach(l -> l.accept(gone));
            }
        }

        @Override
        public void resynced(MemberSnapshot snapshot) {
            // Replace in place without a moment of emptiness, so that a concurrent placement never sees no members.
            Map<String, MemberInfo> fresh = new ConcurrentHashMap<>();
            snapshot.members().forEach(m -> fresh.put(m.host(), m));
            members.putAll(fresh);
            members.keySet().retainAll(fresh.keySet());
        }
    }
}
