package io.tandem.persistence.jdbc;

import java.lang.reflect.Method;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.common.BaseDataSource;

/**
 * Names the PostgreSQL endpoint ({@code host:port}) behind a JDBC URL or a {@link DataSource}, for error messages an
 * operator can act on ("PostgreSQL at 10.0.0.5:5432 is unavailable"). Never includes credentials or parameters.
 */
public final class DatabaseEndpoint {
    /** Used when the data source does not reveal its URL: still a readable sentence. */
    static final String UNKNOWN = "the configured database";

    private static final String PREFIX = "jdbc:postgresql:";
    private static final int DEFAULT_PORT = 5432;
    private static final int MAX_UNWRAP_DEPTH = 4;

    private DatabaseEndpoint() {}

    /**
     * The {@code host:port} list of a {@code jdbc:postgresql:} URL, e.g. {@code "db1:5432,db2:5433"}; hosts without
     * a port get 5432, and a URL without hosts means {@code localhost:5432} (the driver's default).
     */
    public static String fromJdbcUrl(String url) {
        if (url == null || !url.startsWith(PREFIX)) {
            return UNKNOWN;
        }
        String rest = url.substring(PREFIX.length());
        if (!rest.startsWith("//")) {
            return "localhost:" + DEFAULT_PORT;
        }
        String authority = rest.substring(2).split("[/?]", 2)[0];
        if (authority.isEmpty()) {
            return "localhost:" + DEFAULT_PORT;
        }
        List<String> endpoints = new ArrayList<>();
        for (String host : authority.split(",")) {
            endpoints.add(withPort(host));
        }
        return String.join(",", endpoints);
    }

    /**
     * Best effort: the endpoint of a pgjdbc data source, a HikariCP pool, or a delegating wrapper around one of
     * them (Micronaut's); {@value #UNKNOWN} when the URL cannot be found.
     */
    public static String of(DataSource dataSource) {
        String url = urlOf(dataSource, 0);
        return url == null ? UNKNOWN : fromJdbcUrl(url);
    }

    private static String withPort(String host) {
        // An IPv6 literal is bracketed ([::1]:5432); its colons are not a port separator.
        int close = host.lastIndexOf(']');
        int colon = host.lastIndexOf(':');
        return colon > close ? host : host + ":" + DEFAULT_PORT;
    }

    private static String urlOf(Object source, int depth) {
        if (source == null || depth > MAX_UNWRAP_DEPTH) {
            return null;
        }
        if (source instanceof BaseDataSource pg) {
            return pg.getUrl();
        }
        // HikariCP and Micronaut are not dependencies of this library, so their getters are found by name.
        for (String getter : List.of("getJdbcUrl", "getUrl", "getURL")) {
            if (call(source, getter) instanceof String url && url.startsWith(PREFIX)) {
                return url;
            }
        }
        for (String getter : List.of("getTargetDataSource", "getDataSource")) {
            String url = urlOf(call(source, getter), depth + 1);
            if (url != null) {
                return url;
            }
        }
        return unwrapped(source, depth);
    }

    private static String unwrapped(Object source, int depth) {
        if (source instanceof DataSource ds) {
            try {
                if (ds.isWrapperFor(BaseDataSource.class)) {
                    return urlOf(ds.unwrap(BaseDataSource.class), depth + 1);
                }
            } catch (SQLException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static Object call(Object target, String getter) {
        try {
            Method method = target.getClass().getMethod(getter);
            return method.getParameterCount() == 0 ? method.invoke(target) : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
