package io.tandem.persistence.cluster;

import io.tandem.core.error.AbortedException;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code clusters} table. Replication fields change through compare-and-swap updates, not through here. */
public final class ClusterRepository {
    private static final String INSERT_IF_MISSING = "INSERT INTO clusters (name, binary_name) VALUES (?, ?)"
            + " ON CONFLICT (name, binary_name) DO NOTHING RETURNING *";
    private static final String SELECT_ONE = "SELECT * FROM clusters WHERE name = ? AND binary_name = ?";
    private static final String SELECT_ALL = "SELECT * FROM clusters ORDER BY name, binary_name";

    private final DataSource dataSource;

    public ClusterRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Returns the cluster, creating it with defaults if it does not exist yet. Safe when every member of a new
     * cluster starts at once: exactly one insert wins and every caller gets the same row.
     */
    public ClusterRow createIfMissing(String name, String binary) {
        return Transactions.withConnection(dataSource, c -> createIfMissing(c, name, binary));
    }

    /** The cluster, if it exists. */
    public Optional<ClusterRow> find(String name, String binary) {
        return Transactions.withConnection(dataSource, c -> find(c, name, binary));
    }

    /** Every cluster, by name and binary. */
    public List<ClusterRow> list() {
        return Transactions.withConnection(dataSource, c -> Queries.list(c, SELECT_ALL, ClusterRow::from));
    }

    /** {@link #createIfMissing(String, String)} on the caller's connection. */
    public static ClusterRow createIfMissing(Connection connection, String name, String binary) throws SQLException {
        Optional<ClusterRow> inserted = Queries.one(connection, INSERT_IF_MISSING, ClusterRow::from, name, binary);
        if (inserted.isPresent()) {
            return inserted.get();
        }
        // The loser of the insert race reads the winner's row. ON CONFLICT waited for the winner to commit, and in
        // READ COMMITTED this second statement takes a new snapshot, so the row is visible here. Inside one
        // statement (a CTE with a UNION) it would not be.
        return find(connection, name, binary)
                .orElseThrow(() -> new AbortedException(
                        "cluster " + name + " (" + binary + ") was deleted while it was being created; retry"));
    }

    /** {@link #find(String, String)} on the caller's connection. */
    public static Optional<ClusterRow> find(Connection connection, String name, String binary) throws SQLException {
        return Queries.one(connection, SELECT_ONE, ClusterRow::from, name, binary);
    }
}
