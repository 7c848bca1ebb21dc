package io.tandem.manage;

import io.tandem.membership.EpochRecord;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.MembershipConfig;
import io.tandem.membership.Registration;
import io.tandem.membership.ServiceInfo;
import io.tandem.persistence.Migrations;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.testing.TestDatabase;
import io.tandem.testing.TestEtcd;
import io.tandem.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A migrated database of its own, the JVM's test etcd under a key prefix of its own, and the tool's real entry point
 * run in-process against both (through the environment variables the services use). Rows are written with plain SQL,
 * as the services would have left them; "members" are real etcd registrations on leases, as a running volume service
 * has.
 */
final class ManageFixture implements AutoCloseable {
    /** etcd's floor TTL: a fake member that is closed is gone at once anyway (close revokes its lease). */
    private static final Duration TTL = Duration.ofSeconds(2);

    final TestDatabase database = TestPostgres.shared().createDatabase();
    final DataSource dataSource = database.dataSource();
    final String etcdEndpoint = TestEtcd.shared().endpoint();
    final String prefix = "/t-" + UUID.randomUUID();
    final EtcdMembership membership;

    /** What one run of the tool did. */
    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    ManageFixture() {
        Migrations.apply(dataSource);
        membership = EtcdMembership.connect(
                MembershipConfig.defaults(etcdEndpoint).withPrefix(prefix).withLeaseTtl(TTL));
    }

    /** The environment of the services of this fixture's deployment. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("TANDEM_DATABASE_URL", database.jdbcUrl());
        env.put("TANDEM_DATABASE_USERNAME", database.username());
        env.put("TANDEM_DATABASE_PASSWORD", database.password());
        env.put("TANDEM_ETCD_ENDPOINTS", etcdEndpoint);
        env.put("TANDEM_ETCD_PREFIX", prefix);
        return env;
    }

    /** Runs {@code tandem-manage argv} with this fixture's environment. */
    Run manage(String... argv) {
        return manage(env(), argv);
    }

    static Run manage(Map<String, String> env, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = new TandemManage(o, e, env).run(argv);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    // --- rows, as the services leave them ---------------------------------------------------------------------------

    /** A volume cluster row with these replication fields; returns its id. */
    long cluster(String name, boolean disabled, boolean frozen, String status, String activeBackendId, long epoch) {
        return Transactions.withConnection(dataSource, c -> Queries.one(
                        c,
                        "INSERT INTO clusters (name, binary_name, disabled, frozen, replication_status,"
                                + " active_backend_id, epoch) VALUES (?, 'volume', ?, ?, ?, ?, ?) RETURNING id",
                        r -> r.getLong(1),
                        name,
                        disabled,
                        frozen,
                        status,
                        activeBackendId,
                        epoch)
                .orElseThrow());
    }

    /** A service row; {@code clusterName} null for a non-clustered one. Returns its id. */
    int service(
            String host,
            String binary,
            String clusterName,
            boolean disabled,
            boolean frozen,
            String status,
            String activeBackendId,
            long epoch) {
        return Transactions.withConnection(dataSource, c -> Queries.one(
                        c,
                        "INSERT INTO services (host, binary_name, cluster_name, disabled, frozen, replication_status,"
                                + " active_backend_id, epoch) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        r -> r.getInt(1),
                        host,
                        binary,
                        clusterName,
                        disabled,
                        frozen,
                        status,
                        activeBackendId,
                        epoch)
                .orElseThrow());
    }

    /** A replication_targets row. */
    void site(String scope, String backendId, String location, boolean primary) {
        sql(
                "INSERT INTO replication_targets (scope, backend_id, location, role) VALUES (?, ?, ?, ?)",
                scope,
                backendId,
                location,
                primary ? "primary" : "target");
    }

    /** An unfinished failover journal row of {@code target}; returns its id. */
    long unfinishedFailover(String scope, String target, String phase) {
        return Transactions.withConnection(dataSource, c -> Queries.one(
                        c,
                        "INSERT INTO failovers (kind, scope, target, from_backend_id, to_backend_id, phase, owner,"
                                + " previous_status, claim_epoch) VALUES ('failover', ?, ?, 'default', 'secondary', ?,"
                                + " 'replication1', 'enabled', 0) RETURNING id",
                        r -> r.getLong(1),
                        scope,
                        target,
                        phase)
                .orElseThrow());
    }

    /** A workers row held by {@code serviceId}. */
    void worker(int serviceId) {
        sql(
                "INSERT INTO workers (resource_type, resource_id, status, service_id) VALUES ('Volume', ?, 'creating', ?)",
                UUID.randomUUID().toString(),
                serviceId);
    }

    /** One round trip to the database on a new connection (a few milliseconds of real work, no sleeping). */
    void roundTrip() {
        Transactions.withConnection(dataSource, c -> Queries.one(c, "SELECT 1", r -> r.getInt(1)));
    }

    int sql(String statement, Object... params) {
        return Transactions.withConnection(dataSource, c -> Queries.update(c, statement, params));
    }

    // --- reloads ----------------------------------------------------------------------------------------------------

    ClusterRow clusterRow(String name) {
        return Transactions.withConnection(
                        dataSource,
                        c -> Queries.one(
                                c,
                                "SELECT * FROM clusters WHERE name = ? AND binary_name = 'volume'",
                                ClusterRow::from,
                                name))
                .orElseThrow();
    }

    Optional<ServiceRow> serviceRow(String host, String binary) {
        return Transactions.withConnection(
                dataSource,
                c -> Queries.one(
                        c,
                        "SELECT * FROM services WHERE host = ? AND binary_name = ?",
                        ServiceRow::from,
                        host,
                        binary));
    }

    List<ServiceRow> servicesOf(String cluster) {
        return Transactions.withConnection(
                dataSource,
                c -> Queries.list(
                        c, "SELECT * FROM services WHERE cluster_name = ? ORDER BY host", ServiceRow::from, cluster));
    }

    /** The scope's replication_targets rows as {@code backend_id@location/role}, by backend id. */
    List<String> sites(String scope) {
        return Transactions.withConnection(
                dataSource,
                c -> Queries.list(
                        c,
                        "SELECT backend_id, location, role FROM replication_targets WHERE scope = ? ORDER BY backend_id",
                        r -> r.getString(1) + "@" + r.getString(2) + "/" + r.getString(3),
                        scope));
    }

    Optional<EpochRecord> epochKey(String scope) {
        return membership.epochs().read(scope);
    }

    // --- etcd: running services -------------------------------------------------------------------------------------

    /** Registers a running volume node, as volume-svc does at start; close it to "stop" the node. */
    Registration runningMember(String cluster, String host) {
        MemberInfo member = new MemberInfo(
                host, cluster, host.substring(host.indexOf('@') + 1), "127.0.0.1:1", null, 0, Instant.now());
        return membership.registerMember(member, (registration, reason) -> {});
    }

    /** Registers a running non-volume service. */
    Registration runningService(String binary, String host) {
        return membership.registerService(
                new ServiceInfo(binary, host, "127.0.0.1:1", Instant.now()), (registration, reason) -> {});
    }

    @Override
    public void close() {
        membership.close();
    }
}
