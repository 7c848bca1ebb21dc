package io.tandem.replication.domain.targets;

import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import java.sql.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/** Reads the sites of backends from {@code replication_targets}, the authoritative copy after a backend's first start. */
public final class ReplicationTargets {
    // 'primary' sorts before 'target', so each backend lists its primary first.
    private static final String BY_SCOPES = "SELECT scope, backend_id, location, role FROM replication_targets"
            + " WHERE scope = ANY (?) ORDER BY scope, role, backend_id";

    private final DataSource dataSource;

    public ReplicationTargets(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The sites of each scope (a cluster name, or the host of a non-clustered backend); scopes without any are absent. */
    public Map<String, List<Site>> byScope(Collection<String> scopes) {
        if (scopes.isEmpty()) {
            return Map.of();
        }
        Map<String, List<Site>> sites = new HashMap<>();
        Transactions.withConnection(dataSource, c -> {
            Array array = c.createArrayOf("text", scopes.toArray());
            return Queries.list(
                    c,
                    BY_SCOPES,
                    r -> {
                        Site site = new Site(
                                r.getString("backend_id"),
                                r.getString("location"),
                                "primary".equals(r.getString("role")));
                        sites.computeIfAbsent(r.getString("scope"), k -> new ArrayList<>())
                                .add(site);
                        return site;
                    },
                    array);
        });
        return sites;
    }
}
