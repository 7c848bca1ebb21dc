package io.tandem.membership;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns etcd events under {@code members/<cluster>/} into {@link MembershipListener} calls. */
final class MemberWatchSink implements ResumableWatch.Sink<MemberSnapshot> {
    private static final Logger LOG = LoggerFactory.getLogger(MemberWatchSink.class);

    private final Supplier<MemberSnapshot> lister;
    private final MembershipListener listener;

    MemberWatchSink(Supplier<MemberSnapshot> lister, MembershipListener listener) {
        this.lister = lister;
        this.listener = listener;
    }

    @Override
    public MemberSnapshot list() {
        return lister.get();
    }

    @Override
    public long revisionOf(MemberSnapshot snapshot) {
        return snapshot.revision();
    }

    @Override
    public void onSnapshot(MemberSnapshot snapshot) {
        listener.resynced(snapshot);
    }

    @Override
    public void onEvents(List<WatchEvent> events) {
        for (WatchEvent event : events) {
            KeyValue kv = event.getKeyValue();
            String key = EtcdCalls.string(kv.getKey());
            switch (event.getEventType()) {
                case PUT -> put(key, kv);
                case DELETE -> listener.left(EtcdKeys.lastSegment(key));
                default -> LOG.warn("Ignoring unrecognised etcd event at {}", key);
            }
        }
    }

    private void put(String key, KeyValue kv) {
        MemberInfo member;
        try {
            member = Json.read(key, kv.getValue(), MemberInfo.class);
        } catch (IllegalArgumentException e) {
            // One bad value must not stop the cluster's watch; it is visible in the log and in etcdctl.
            LOG.warn("Ignoring {}", e.getMessage());
            return;
        }
        // Version 1 means the key was (re)created: a lease that expired deleted it, so a comeback is a new join.
        if (kv.getVersion() == 1) {
            listener.joined(member);
        } else {
            listener.updated(member);
        }
    }
}
