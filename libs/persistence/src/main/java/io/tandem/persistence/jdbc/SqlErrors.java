package io.tandem.persistence.jdbc;

import io.tandem.core.error.AbortedException;
import io.tandem.core.error.UnavailableException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The one place where {@link SQLException}s become Tandem errors, so that every service answers an outage or a
 * conflict the same way:
 *
 * <ul>
 *   <li>the database cannot be reached (SQLState class 08, a refused or timed-out socket, a server shutting down or
 *       out of connection slots, a pool that cannot hand out a connection) → {@link UnavailableException} whose
 *       one-line message names the endpoint: retrying the call later is safe;
 *   <li>serialization failure (40001) or deadlock (40P01) → {@link AbortedException}: the transaction was rolled
 *       back, the caller may retry its whole sequence;
 *   <li>anything else → {@link DatabaseException}, an internal error. Unique violations that a caller expects (an
 *       insert that may lose a race) are the caller's to catch before translation, with {@link
 *       #isUniqueViolation(SQLException)}.
 * </ul>
 */
public final class SqlErrors {
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    // admin_shutdown, crash_shutdown, cannot_connect_now (starting up or in recovery), too_many_connections
    private static final Set<String> UNREACHABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    private static final int MAX_CHAIN = 20;

    private SqlErrors() {}

    /** Translates {@code e}; the endpoint is looked up from {@code dataSource} only for a connection failure. */
    public static RuntimeException translate(SQLException e, DataSource dataSource) {
        return translate(e, () -> DatabaseEndpoint.of(dataSource));
    }

    /** Translates {@code e}, naming {@code endpoint} (see {@link DatabaseEndpoint}) if the database is unreachable. */
    public static RuntimeException translate(SQLException e, String endpoint) {
        return translate(e, () -> endpoint);
    }

    private static RuntimeException translate(SQLException e, Supplier<String> endpoint) {
        if (isConnectionFailure(e)) {
            return new UnavailableException(
                    "PostgreSQL at " + endpoint.get() + " is unavailable (" + unreachableReason(e) + ")", e);
        }
        if (hasState(e, SERIALIZATION_FAILURE)) {
            return new AbortedException("a concurrent transaction conflicted (serialization failure); retry", e);
        }
        if (hasState(e, DEADLOCK_DETECTED)) {
            return new AbortedException("a concurrent transaction conflicted (deadlock); retry", e);
        }
        return new DatabaseException("database error " + e.getSQLState() + ": " + firstLine(e.getMessage()), e);
    }

    /** True when the database could not be reached or the connection broke, as opposed to a failed statement. */
    public static boolean isConnectionFailure(SQLException e) {
        for (Throwable t : chain(e)) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SocketException
                    || t instanceof SocketTimeoutException
                    || t instanceof UnknownHostException) {
                return true;
            }
            if (t instanceof SQLException sql && isUnreachableState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** True for a unique-constraint violation (23505) anywhere in the chain. */
    public static boolean isUniqueViolation(SQLException e) {
        return hasState(e, UNIQUE_VIOLATION);
    }

    private static boolean isUnreachableState(String state) {
        return state != null && (state.startsWith(CONNECTION_EXCEPTION_CLASS) || UNREACHABLE_STATES.contains(state));
    }

    private static boolean hasState(SQLException e, String state) {
        for (Throwable t : chain(e)) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String unreachableReason(SQLException e) {
        for (Throwable t : chain(e)) {
            if (t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof SocketTimeoutException) {
                return "timed out";
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                switch (sql.getSQLState()) {
                    case "57P01", "57P02":
                        return "server shutting down";
                    case "57P03":
                        return "server not accepting connections yet";
                    case "53300":
                        return "too many connections";
                    default:
                        break;
                }
            }
        }
        return e instanceof SQLTransientConnectionException && e.getCause() == null
                ? "no connection available from the pool"
                : "connection failed";
    }

    // Both the cause chain and JDBC's next-exception chain, bounded because a cause chain may loop.
    private static List<Throwable> chain(SQLException e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && chain.size() < MAX_CHAIN && !chain.contains(t); t = next(t)) {
            chain.add(t);
        }
        return chain;
    }

    private static Throwable next(Throwable t) {
        if (t.getCause() != null) {
            return t.getCause();
        }
        return t instanceof SQLException sql ? sql.getNextException() : null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
