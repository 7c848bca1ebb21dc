package io.tandem.runtime.startup;

import io.tandem.core.error.UnavailableException;
import io.tandem.core.retry.Backoff;
import io.tandem.runtime.config.DatabaseConfiguration;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up waits for PostgreSQL for a bounded time (a database that starts a moment after the services is normal in
 * containers), logging one line per failed attempt, then gives up with one line naming the endpoint.
 */
@Singleton
public class DatabaseReadiness {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseReadiness.class);
    private static final Backoff BACKOFF =
            new Backoff(Integer.MAX_VALUE, Duration.ofMillis(200), Duration.ofSeconds(2));

    private final DatabaseConfiguration config;
    private volatile boolean ready;

    public DatabaseReadiness(DatabaseConfiguration config) {
        this.config = config;
    }

    /** Returns once a connection succeeds; throws {@link UnavailableException} after the start-up timeout. */
    public void await() {
        if (ready) {
            return;
        }
        long deadline = System.nanoTime() + config.getStartupTimeout().toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                probe();
                ready = true;
                return;
            } catch (SQLException e) {
                String reason = firstLine(e);
                if (System.nanoTime() - deadline > 0) {
                    throw new UnavailableException("PostgreSQL at " + config.endpoint() + " is unreachable after "
                            + config.getStartupTimeout().toSeconds() + " s: " + reason);
                }
                LOG.warn(
                        "PostgreSQL at {} is unreachable (attempt {}): {}; retrying",
                        config.endpoint(),
                        attempt,
                        reason);
                pause(attempt);
            }
        }
    }

    private void probe() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", config.getUsername());
        props.setProperty("password", config.getPassword());
        props.setProperty(
                "connectTimeout",
                String.valueOf(Math.max(1, config.getConnectionTimeout().toSeconds())));
        try (Connection ignored = DriverManager.getConnection(config.getUrl(), props)) {
            // Reaching here means the server accepted our credentials and database.
        }
    }

    private static void pause(int attempt) {
        try {
            BACKOFF.pauseAfter(attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for PostgreSQL");
        }
    }

    private static String firstLine(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
