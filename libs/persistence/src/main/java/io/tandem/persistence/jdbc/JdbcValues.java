package io.tandem.persistence.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Binding parameters and reading columns the same way everywhere, so that timestamps round-trip exactly. */
public final class JdbcValues {
    private JdbcValues() {}

    /**
     * Binds {@code value} at {@code index}. An {@link Instant} is sent as a UTC {@link OffsetDateTime} (pgjdbc does
     * not bind {@code Instant}), keeping its microseconds, so a timestamp read from a row compares equal when bound
     * back (the workers claim relies on it). {@code null} is sent untyped so that PostgreSQL infers the type.
     */
    public static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof Instant instant) {
            statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
        } else if (value instanceof Enum<?> e) {
            throw new IllegalArgumentException("bind " + e.getDeclaringClass().getSimpleName()
                    + " values as their stored string, not as an enum: " + e);
        } else {
            statement.setObject(index, value);
        }
    }

    /** Binds {@code values} from index 1 on. */
    public static void bindAll(PreparedStatement statement, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            bind(statement, i + 1, values.get(i));
        }
    }

    /** A {@code timestamptz} column as an {@link Instant}, or null. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** An {@code integer} column that may be NULL. */
    public static Integer nullableInt(ResultSet row, String column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }

    /** A {@code bigint} column that may be NULL. */
    public static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
