package io.tandem.persistence;

import io.tandem.persistence.jdbc.SqlErrors;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Tandem's schema migrations ({@code db/migration} on the classpath) with Flyway. Every service calls this at
 * start, and several may start at once: Flyway serialises concurrent runs with a PostgreSQL advisory lock, so all of
 * them succeed and each migration is applied exactly once.
 */
public final class Migrations {
    /** Where the migrations live; a later migration is a new {@code V<n>__<what>.sql} file there. */
    public static final String LOCATION = "classpath:db/migration";

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {}

    /**
     * Brings the schema up to date and returns how many migrations this call applied (0 when it already was, or when
     * a concurrent caller applied them first).
     *
     * @throws io.tandem.core.error.UnavailableException when the database cannot be reached; its one-line message
     *     names the endpoint
     * @throws FlywayException when a migration fails or the applied history does not match the files (an internal
     *     error: a broken deployment, not something to retry)
     */
    public static int apply(DataSource dataSource) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                // A service whose jar lost its migrations must not start against an empty schema.
                .failOnMissingLocations(true)
                .load();
        try {
            int applied = flyway.migrate().migrationsExecuted;
            LOG.info("database schema is up to date ({} migration(s) applied by this call)", applied);
            return applied;
        } catch (FlywayException e) {
            SQLException cause = sqlCause(e);
            if (cause != null && SqlErrors.isConnectionFailure(cause)) {
                throw SqlErrors.translate(cause, dataSource);
            }
            throw e;
        }
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }
}
