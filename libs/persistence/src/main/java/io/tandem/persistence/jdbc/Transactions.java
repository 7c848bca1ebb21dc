package io.tandem.persistence.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs JDBC work on a connection from a {@link DataSource} and translates what escapes through {@link SqlErrors}
 * (outage → {@code UnavailableException}, serialization failure or deadlock → {@code AbortedException}, anything
 * else → {@link DatabaseException}). Unchecked exceptions thrown by the work pass through unchanged, after the
 * rollback.
 */
public final class Transactions {
    private Transactions() {}

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. The connection
     * goes back to its pool in auto-commit mode.
     */
    public static <T> T inTransaction(DataSource dataSource, SqlFunction<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                restoreAutoCommit(connection);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate(e, dataSource);
        }
    }

    /**
     * Runs {@code work} on a connection in auto-commit mode: every statement commits on its own. Enough for a single
     * statement, such as one compare-and-swap, and cheaper than a transaction.
     */
    public static <T> T withConnection(DataSource dataSource, SqlFunction<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getAutoCommit()) {
                // A pool configured without auto-commit would silently drop the work when the connection returns.
                connection.setAutoCommit(true);
            }
            return work.apply(connection);
        } catch (SQLException e) {
            throw SqlErrors.translate(e, dataSource);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException rollbackFailure) {
            // The original failure is what the caller must see; a broken connection fails its rollback as well.
            failure.addSuppressed(rollbackFailure);
        }
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException | RuntimeException ignored) {
            // The connection is broken; closing it (or the pool's reset) is all that is left to do.
        }
    }
}
