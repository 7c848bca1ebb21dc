package io.tandem.persistence.targets;

import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * The {@code replication_targets} table: the sites of each backend, under its scope (the cluster name, or the host of
 * a non-clustered backend). Configuration seeds a scope once, at the backend's first start; from then on the table is
 * the authoritative copy, because promote changes it online and a node restarting with its old configuration must not
 * bring the old sites back.
 */
public final class ReplicationTargetRepository {
    // 'primary' sorts before 'target', so both reads list the primary first. The node's driver takes the targets in
    // table order (id: the order of the configuration that seeded them); listings order them by backend id.
    private static final String SELECT_ONE_SCOPE =
            "SELECT backend_id, location, role FROM replication_targets" + " WHERE scope = ? ORDER BY role, id";
    private static final String SELECT_BY_SCOPES = "SELECT scope, backend_id, location, role FROM replication_targets"
            + " WHERE scope = ANY (?) ORDER BY scope, role, backend_id";

    private final DataSource dataSource;

    public ReplicationTargetRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Inserts {@code sites} under {@code scope} if the scope has no row yet, and returns how many rows it inserted.
     * One statement, {@code INSERT … SELECT … WHERE NOT EXISTS … ON CONFLICT DO NOTHING}: members of a cluster
     * starting together with the same configuration all succeed and insert each row once.
     */
    public int seedIfEmpty(String scope, List<SiteRow> sites) {
        if (sites.isEmpty()) {
            return 0;
        }
        List<Object> params = new ArrayList<>();
        StringJoiner values = new StringJoiner(", ");
        for (SiteRow site : sites) {
            values.add("(?, ?, ?, ?)");
            params.addAll(List.of(scope, site.backendId(), site.location(), site.role()));
        }
        params.add(scope);
        String sql = "INSERT INTO replication_targets (scope, backend_id, location, role)"
                + " SELECT * FROM (VALUES " + values + ") AS seed (scope, backend_id, location, role)"
                + " WHERE NOT EXISTS (SELECT 1 FROM replication_targets t WHERE t.scope = ?)"
                + " ON CONFLICT DO NOTHING";
        return Transactions.withConnection(dataSource, c -> Queries.update(c, sql, params.toArray()));
    }

    /** The sites of {@code scope}: the primary first, then the targets in table order (the order they were seeded). */
    public List<SiteRow> sites(String scope) {
        return Transactions.withConnection(dataSource, c -> Queries.list(c, SELECT_ONE_SCOPE, SiteRow::from, scope));
    }

    /**
     * The sites of each of {@code scopes}, in one query: per scope the primary first, then the targets by backend id.
     * Scopes without any site are absent.
     */
    public Map<String, List<SiteRow>> byScope(Collection<String> scopes) {
        if (scopes.isEmpty()) {
            return Map.of();
        }
        Map<String, List<SiteRow>> sites = new HashMap<>();
        Transactions.withConnection(dataSource, c -> {
            Array array = c.createArrayOf("text", scopes.toArray());
            return Queries.list(
                    c,
                    SELECT_BY_SCOPES,
                    r -> {
                        SiteRow site = SiteRow.from(r);
                        sites.computeIfAbsent(r.getString("scope"), k -> new ArrayList<>())
                                .add(site);
                        return site;
                    },
                    array);
        });
        return sites;
    }

    /** {@link #sites(String)} in the caller's transaction. */
    public static List<SiteRow> sites(Connection connection, String scope) throws SQLException {
        return Queries.list(connection, SELECT_ONE_SCOPE, SiteRow::from, scope);
    }

    /**
     * Replaces every site of {@code scope} with {@code sites}, in the caller's transaction (a promote's commit: the
     * promoted site becomes the primary, the new targets replace the old ones). Deleting first keeps the one-primary
     * index satisfied at every statement.
     */
    public static void replace(Connection connection, String scope, List<SiteRow> sites) throws SQLException {
        deleteScope(connection, scope);
        for (SiteRow site : sites) {
            Queries.update(
                    connection,
                    "INSERT INTO replication_targets (scope, backend_id, location, role) VALUES (?, ?, ?, ?)",
                    scope,
                    site.backendId(),
                    site.location(),
                    site.role());
        }
    }

    /**
     * Deletes every site of {@code scope}, in the caller's transaction, and returns how many rows went: the next start
     * of the backend seeds them again from its configuration, as a first start does ({@code tandem-manage db
     * reset-active-backend} hands the sites back to the edited configuration this way).
     */
    public static int deleteScope(Connection connection, String scope) throws SQLException {
        return Queries.update(connection, "DELETE FROM replication_targets WHERE scope = ?", scope);
    }
}
