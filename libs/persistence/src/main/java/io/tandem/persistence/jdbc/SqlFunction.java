package io.tandem.persistence.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work done on one connection. It may throw {@link SQLException} so that JDBC code composes without wrapping; the
 * runner ({@link Transactions}) translates what escapes.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface SqlFunction<T> {
    T apply(Connection connection) throws SQLException;
}
