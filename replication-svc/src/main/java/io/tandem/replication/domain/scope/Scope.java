package io.tandem.replication.domain.scope;

import io.tandem.replication.domain.inventory.ReplicationState;
import java.util.Objects;

/**
 * What a failover, freeze or thaw acts on: a cluster (with all its members), or a non-clustered volume host. A host
 * that belongs to a cluster stands for its cluster, so a scope is never a clustered host.
 *
 * @param kind cluster or host
 * @param name the cluster name or the host; also the scope of {@code replication_targets} and of the epoch key
 * @param rowId the id of the authoritative row: the cluster row, or the host's service row
 * @param state the replication fields of that row when it was read
 */
public record Scope(Kind kind, String name, long rowId, ReplicationState state) {
    /** The two kinds, with their stored names (the journal's {@code scope} column). */
    public enum Kind {
        CLUSTER("cluster"),
        HOST("host");

        private final String stored;

        Kind(String stored) {
            this.stored = stored;
        }

        public String stored() {
            return stored;
        }

        public static Kind of(String stored) {
            for (Kind kind : values()) {
                if (kind.stored.equals(stored)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown scope " + stored);
        }
    }

    public Scope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
    }

    /** The cluster name for a cluster scope; null for a host (the key etcd and {@code LiveView} use). */
    public String cluster() {
        return kind == Kind.CLUSTER ? name : null;
    }

    /** The host for a host scope; null for a cluster. */
    public String host() {
        return kind == Kind.HOST ? name : null;
    }

    /** "cluster c@fs" or "host n@fs", for messages. */
    public String describe() {
        return kind.stored() + " " + name;
    }
}
