package io.tandem.testing;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One empty database on the test PostgreSQL. {@link #dataSource()} opens a new connection per call (no pool); tests
 * that race many threads wrap {@link #jdbcUrl()} in a pool of their own.
 */
public record TestDatabase(String jdbcUrl, String username, String password, int port, String name) {

    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl);
        ds.setUser(username);
        ds.setPassword(password);
        return ds;
    }
}
