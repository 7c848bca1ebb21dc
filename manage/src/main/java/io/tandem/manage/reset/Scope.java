package io.tandem.manage.reset;

import java.util.Objects;

/**
 * What a reset acts on: a cluster, with every volume service in it, or a non-clustered volume host. The name is also
 * the scope of {@code replication_targets}, the target of the failover journal and the name of the etcd epoch key.
 *
 * @param rowId the authoritative row: the cluster row, or the host's service row
 * @param namedHost the host given with {@code --backend-host} when it led to its cluster; null otherwise
 */
public record Scope(Kind kind, String name, long rowId, String namedHost) {
    /** The two kinds of scope, with the table that holds the authoritative row. */
    public enum Kind {
        CLUSTER("cluster", "clusters"),
        HOST("host", "services");

        private final String word;
        private final String table;

        Kind(String word, String table) {
            this.word = word;
            this.table = table;
        }

        public String word() {
            return word;
        }

        public String table() {
            return table;
        }
    }

    public Scope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public boolean isCluster() {
        return kind == Kind.CLUSTER;
    }

    /** The cluster segment of the member keys: the cluster's name, or null for a non-clustered host. */
    public String memberCluster() {
        return isCluster() ? name : null;
    }

    /** "cluster c@fs" or "host n@fs", for messages. */
    public String describe() {
        return kind.word() + " " + name;
    }
}
