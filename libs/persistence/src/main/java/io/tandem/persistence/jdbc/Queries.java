package io.tandem.persistence.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Runs one statement with bound parameters ({@link JdbcValues#bind}) and maps its rows; SQL stays at the caller. */
public final class Queries {
    private Queries() {}

    /** The first row of {@code sql}, or empty; for queries and for {@code INSERT/UPDATE … RETURNING}. */
    public static <T> Optional<T> one(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        List<T> rows = list(connection, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** Every row of {@code sql}, in the order the database returns them. */
    public static <T> List<T> list(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            JdbcValues.bindAll(statement, Arrays.asList(params));
            List<T> rows = new ArrayList<>();
            try (ResultSet resultSet = statement.executeQuery()) {
                while (resultSet.next()) {
                    rows.add(mapper.map(resultSet));
                }
            }
            return rows;
        }
    }

    /** Runs an INSERT, UPDATE or DELETE and returns the row count. */
    public static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            JdbcValues.bindAll(statement, Arrays.asList(params));
            return statement.executeUpdate();
        }
    }
}
