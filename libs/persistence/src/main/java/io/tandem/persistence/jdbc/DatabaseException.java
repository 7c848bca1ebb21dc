package io.tandem.persistence.jdbc;

import java.sql.SQLException;

/**
 * A database error that is neither an outage nor a transient conflict: a bug, a schema mismatch, a violated
 * constraint the caller did not expect. Deliberately not a {@code TandemException}, so that the gRPC layer reports
 * it as an internal error instead of disguising it as something the client could fix or retry.
 */
public class DatabaseException extends RuntimeException {
    public DatabaseException(String message, SQLException cause) {
        super(message, cause);
    }

    /** The SQLState of the underlying error, or null. */
    public String sqlState() {
        return getCause() instanceof SQLException e ? e.getSQLState() : null;
    }
}
