package io.tandem.runtime.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.net.URI;
import java.time.Duration;

/** PostgreSQL connection settings: {@code tandem.database.*}, or {@code TANDEM_DATABASE_*} in the environment. */
@ConfigurationProperties("tandem.database")
public class DatabaseConfiguration {
    /** JDBC URL of the one Tandem database. */
    private String url = "jdbc:postgresql://127.0.0.1:55432/tandem";
    /** Database role. */
    private String username = "tandem";
    /** Password of the role; empty for trust authentication (the dev stack). */
    private String password = "";
    /** Apply the schema migrations at start; concurrent starts are safe (Flyway takes an advisory lock). */
    private boolean migrate = true;
    /** Connections in the pool. */
    private int maxPoolSize = 10;
    /** How long a caller waits for a connection before the call fails as UNAVAILABLE. */
    private Duration connectionTimeout = Duration.ofSeconds(5);
    /** How long start-up keeps retrying an unreachable database before the process exits non-zero. */
    private Duration startupTimeout = Duration.ofSeconds(30);

    /** {@code host:port} of the URL, for one-line error messages. */
    public String endpoint() {
        String rest = url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url;
        URI uri = URI.create(rest);
        return uri.getHost() == null ? url : uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public boolean isMigrate() {
        return migrate;
    }

    public void setMigrate(boolean migrate) {
        this.migrate = migrate;
    }

    public int getMaxPoolSize() {
        return maxPoolSize;
    }

    public void setMaxPoolSize(int maxPoolSize) {
        this.maxPoolSize = maxPoolSize;
    }

    public Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    public Duration getStartupTimeout() {
        return startupTimeout;
    }

    public void setStartupTimeout(Duration startupTimeout) {
        this.startupTimeout = startupTimeout;
    }
}
