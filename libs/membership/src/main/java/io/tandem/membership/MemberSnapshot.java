package io.tandem.membership;

import java.util.List;

/**
 * The live members of a cluster as of one etcd revision. Watching from {@link #nextRevision()} continues exactly where
 * this listing ends: no change is missed and none is seen twice.
 */
public record MemberSnapshot(List<MemberInfo> members, long revision) {
    public MemberSnapshot {
        members = List.copyOf(members);
    }

    /** The revision to start a watch from so that it follows this snapshot without a gap. */
    public long nextRevision() {
        return revision + 1;
    }
}
