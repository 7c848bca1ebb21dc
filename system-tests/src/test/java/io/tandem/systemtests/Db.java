package io.tandem.systemtests;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Plain SQL against a stack's database, for checking outcomes and setting up scenarios; a test reads the rows the
 * services wrote instead of trusting their answers.
 */
final class Db {
    private final DataSource dataSource;

    Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The first column of the first row as a long (a count). */
    long scalar(String query, Object... params) {
        return text(query, params).map(Long::parseLong).orElseThrow(() -> new IllegalStateException(query));
    }

    /** The first column of the first row as text, empty when there is no row or the value is NULL. */
    Optional<String> text(String query, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepared(c, query, params);
                ResultSet rows = s.executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    /** The first column of every row as text, in the query's order. */
    List<String> texts(String query, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepared(c, query, params);
                ResultSet rows = s.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    /** Rows of (text, count) as a map, e.g. {@code SELECT status, count(*) … GROUP BY status}. */
    Map<String, Long> countBy(String query, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepared(c, query, params);
                ResultSet rows = s.executeQuery()) {
            Map<String, Long> counts = new HashMap<>();
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    int update(String statement, Object... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepared(c, statement, params)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(statement, e);
        }
    }

    private static PreparedStatement prepared(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
        return s;
    }
}
