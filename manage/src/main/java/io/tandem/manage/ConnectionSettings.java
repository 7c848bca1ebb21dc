package io.tandem.manage;

import io.tandem.membership.MembershipConfig;
import io.tandem.persistence.jdbc.DatabaseEndpoint;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.Driver;

/**
 * Where PostgreSQL and etcd are. Read from the same environment variables the services read (their Micronaut keys
 * {@code tandem.database.*} and {@code tandem.etcd.*}), so that the tool runs against whatever the services of this
 * deployment use; a command-line option overrides its variable; the defaults are those of the dev stack ({@code make
 * run}).
 *
 * @param databasePassword empty for trust authentication (the dev stack)
 */
public record ConnectionSettings(
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        List<String> etcdEndpoints,
        String etcdPrefix) {

    public static final String DATABASE_URL_ENV = "TANDEM_DATABASE_URL";
    public static final String DATABASE_USER_ENV = "TANDEM_DATABASE_USERNAME";
    public static final String DATABASE_PASSWORD_ENV = "TANDEM_DATABASE_PASSWORD";
    public static final String ETCD_ENDPOINTS_ENV = "TANDEM_ETCD_ENDPOINTS";
    public static final String ETCD_PREFIX_ENV = "TANDEM_ETCD_PREFIX";

    public static final String DEFAULT_DATABASE_URL = "jdbc:postgresql://127.0.0.1:55432/tandem";
    public static final String DEFAULT_DATABASE_USER = "tandem";
    public static final String DEFAULT_ETCD_ENDPOINTS = "http://127.0.0.1:23790";

    private static final String JDBC_POSTGRESQL = "jdbc:postgresql:";

    public ConnectionSettings {
        etcdEndpoints = List.copyOf(etcdEndpoints);
    }

    /**
     * The settings an option (from {@code options}, by option name) or else an environment variable gives, else the
     * dev stack's.
     *
     * @throws IllegalArgumentException naming the option or variable whose value is unusable
     */
    public static ConnectionSettings resolve(Map<String, String> options, Map<String, String> env) {
        String url = pick(options, "--db-url", env, DATABASE_URL_ENV).orElse(DEFAULT_DATABASE_URL);
        if (!url.startsWith(JDBC_POSTGRESQL) || Driver.parseURL(url, null) == null) {
            throw new IllegalArgumentException(source(options, "--db-url", DATABASE_URL_ENV) + ": '" + url
                    + "' is not a PostgreSQL JDBC URL (" + DEFAULT_DATABASE_URL + ")");
        }
        String user = pick(options, "--db-user", env, DATABASE_USER_ENV).orElse(DEFAULT_DATABASE_USER);
        // An empty password is a real setting (trust authentication), so it is not replaced by a default.
        String password = Optional.ofNullable(options.get("--db-password"))
                .or(() -> Optional.ofNullable(env.get(DATABASE_PASSWORD_ENV)))
                .orElse("");
        String endpointList =
                pick(options, "--etcd-endpoints", env, ETCD_ENDPOINTS_ENV).orElse(DEFAULT_ETCD_ENDPOINTS);
        List<String> endpoints = Arrays.stream(endpointList.split(","))
                .map(String::strip)
                .filter(e -> !e.isEmpty())
                .toList();
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException(source(options, "--etcd-endpoints", ETCD_ENDPOINTS_ENV)
                    + ": no etcd endpoint in '" + endpointList + "'");
        }
        String prefix = pick(options, "--etcd-prefix", env, ETCD_PREFIX_ENV).orElse(MembershipConfig.DEFAULT_PREFIX);
        if (!prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException(source(options, "--etcd-prefix", ETCD_PREFIX_ENV) + ": '" + prefix
                    + "' must start with '/' and not end with '/' (default " + MembershipConfig.DEFAULT_PREFIX + ")");
        }
        return new ConnectionSettings(url, user, password, endpoints, prefix);
    }

    /** The membership configuration of these endpoints and prefix, with the services' default timings. */
    public MembershipConfig membershipConfig() {
        return MembershipConfig.defaults(etcdEndpoints).withPrefix(etcdPrefix);
    }

    /** {@code host:port} of the database, for messages (never the credentials). */
    public String databaseEndpoint() {
        return DatabaseEndpoint.fromJdbcUrl(databaseUrl);
    }

    /** The option's value, else the variable's; blank counts as not set. */
    private static Optional<String> pick(
            Map<String, String> options, String option, Map<String, String> env, String variable) {
        return Optional.ofNullable(options.get(option))
                .or(() -> Optional.ofNullable(env.get(variable)))
                .map(String::strip)
                .filter(v -> !v.isEmpty());
    }

    private static String source(Map<String, String> options, String option, String variable) {
        return options.containsKey(option) ? option : "$" + variable;
    }

    @Override
    public String toString() {
        // Never print the password.
        return "ConnectionSettings[" + databaseUrl + " as " + databaseUser + ", etcd " + etcdEndpoints + " "
                + etcdPrefix + "]";
    }
}
