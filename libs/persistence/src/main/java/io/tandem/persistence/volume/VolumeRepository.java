package io.tandem.persistence.volume;

import io.tandem.core.error.InvalidArgumentException;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads and inserts of {@code volumes}. Status changes are not here: they are compare-and-swap updates built by the
 * operation that makes them ({@code ConditionalUpdate}), because each one expects different states.
 */
public final class VolumeRepository {
    private static final String INSERT = "INSERT INTO volumes (id, project_id, user_id, name, description, size_gb,"
            + " status, cluster_name, host, replication_status) VALUES (?, ?, ?, ?, ?, ?, 'creating', ?, ?, ?)"
            + " ON CONFLICT (id) DO NOTHING RETURNING *";
    private static final String SELECT_ONE = "SELECT * FROM volumes WHERE id = ?";

    private final DataSource dataSource;

    public VolumeRepository(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Inserts the volume in {@code creating} on the caller's connection (the scheduler's transaction, with the workers
     * row); empty when a volume with that id exists already.
     */
    public static Optional<VolumeRow> insert(Connection connection, NewVolume v) throws SQLException {
        return Queries.one(
                connection,
                INSERT,
                VolumeRow::from,
                v.id(),
                v.projectId(),
                v.userId(),
                v.name(),
                v.description(),
                v.sizeGb(),
                v.clusterName(),
                v.host(),
                v.replicationStatus());
    }

    /** The volume, if it exists. */
    public Optional<VolumeRow> find(UUID id) {
        return Transactions.withConnection(dataSource, c -> find(c, id));
    }

    /** {@link #find(UUID)} on the caller's connection. */
    public static Optional<VolumeRow> find(Connection connection, UUID id) throws SQLException {
        return Queries.one(connection, SELECT_ONE, VolumeRow::from, id);
    }

    /**
     * One page of volumes. The marker must name a volume visible to the query (Cinder answers 400 for an unknown
     * marker): otherwise {@link InvalidArgumentException}.
     */
    public VolumePage list(VolumeQuery query) {
        return Transactions.withConnection(dataSource, c -> list(c, query));
    }

    private static VolumePage list(Connection c, VolumeQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM volumes v WHERE true");
        List<Object> params = new ArrayList<>();
        addFilter(sql, params, "project_id", q.projectId());
        addFilter(sql, params, "name", q.name());
        addFilter(sql, params, "status", q.status());
        addFilter(sql, params, "cluster_name", q.clusterName());
        String sortValue = q.sortKey().expression("v");
        String cmp = q.ascending() ? ">" : "<";
        if (q.marker() != null) {
            Optional<VolumeRow> marker = find(c, q.marker());
            if (marker.isEmpty()
                    || (q.projectId() != null
                            && !q.projectId().equals(marker.get().projectId()))) {
                throw new InvalidArgumentException("Marker " + q.marker() + " could not be found.");
            }
            // Row-value comparison: PostgreSQL walks the (sort value, id) order from the marker on, using the index.
            sql.append(" AND (")
                    .append(sortValue)
                    .append(", v.id) ")
                    .append(cmp)
                    .append(" ((SELECT ")
                    .append(q.sortKey().expression("m"))
                    .append(" FROM volumes m WHERE m.id = ?), ?)");
            params.add(q.marker());
            params.add(q.marker());
        }
        String direction = q.ascending() ? " ASC" : " DESC";
        sql.append(" ORDER BY ")
                .append(sortValue)
                .append(direction)
                .append(", v.id")
                .append(direction);
        sql.append(" LIMIT ?");
        params.add(q.limit() + 1);
        List<VolumeRow> rows = Queries.list(c, sql.toString(), VolumeRow::from, params.toArray());
        if (rows.size() <= q.limit()) {
            return new VolumePage(rows, Optional.empty());
        }
        List<VolumeRow> page = rows.subList(0, q.limit());
        return new VolumePage(page, Optional.of(page.get(page.size() - 1).id()));
    }

    private static void addFilter(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND v.").append(column).append(" = ?");
            params.add(value);
        }
    }
}
