package io.tandem.manage;

import io.tandem.membership.EtcdMembership;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL and etcd for one run, opened on first use. The database is a plain data source (a new connection per
 * transaction, no pool): a repair runs a handful of statements. Connecting is bounded, so a dependency that does not
 * answer fails the run within seconds with one line naming it.
 */
public final class Dependencies implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    private final ConnectionSettings settings;
    private DataSource database;
    private EtcdMembership etcd;

    public Dependencies(ConnectionSettings settings) {
        this.settings = settings;
    }

    public ConnectionSettings settings() {
        return settings;
    }

    public DataSource database() {
        if (database == null) {
            PGSimpleDataSource source = new PGSimpleDataSource();
            source.setUrl(settings.databaseUrl());
            source.setUser(settings.databaseUser());
            source.setPassword(settings.databasePassword());
            source.setConnectTimeout(CONNECT_TIMEOUT_SECONDS);
            source.setLoginTimeout(CONNECT_TIMEOUT_SECONDS);
            source.setApplicationName("tandem-manage");
            database = source;
        }
        return database;
    }

    public EtcdMembership etcd() {
        if (etcd == null) {
            etcd = EtcdMembership.connect(settings.membershipConfig());
        }
        return etcd;
    }

    @Override
    public void close() {
        if (etcd != null) {
            // Nothing was registered, so this only closes the client.
            etcd.close();
        }
    }
}
