package io.tandem.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tandem.testing.TestDatabase;
import io.tandem.testing.TestEtcd;
import io.tandem.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the bench runs against: a private PostgreSQL and etcd (libs/testing), scheduler-svc, and volume nodes of one
 * cluster per driver, all as processes from their packaged jars. {@link #close()} stops everything.
 */
final class BenchStack implements AutoCloseable {
    static final Duration START_DEADLINE = Duration.ofSeconds(180);

    private final Path top;
    private final Path logs;
    private final TestDatabase database;
    private final TestEtcd etcd;
    private final HikariDataSource pool;
    private final List<ServiceLauncher> processes = new ArrayList<>();
    private ServiceLauncher scheduler;

    BenchStack(Path top, Path logs) {
        this.top = top;
        this.logs = logs;
        this.database = TestPostgres.shared().createDatabase();
        this.etcd = TestEtcd.start();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.username());
        config.setPassword(database.password());
        config.setMaximumPoolSize(8);
        this.pool = new HikariDataSource(config);
    }

    DataSource dataSource() {
        return pool;
    }

    /** Starts scheduler-svc (it migrates the schema) and waits for it. */
    ServiceLauncher startScheduler() {
        scheduler = start("scheduler", "scheduler-svc", "tandem-scheduler.jar", "scheduler", Map.of());
        scheduler.awaitReady(START_DEADLINE);
        return scheduler;
    }

    /** Starts replication-svc and waits for it. */
    ServiceLauncher startReplication() {
        ServiceLauncher replication =
                start("replication", "replication-svc", "tandem-replication.jar", "replication", Map.of());
        replication.awaitReady(START_DEADLINE);
        return replication;
    }

    /** Starts api-svc (noauth) in front of {@code scheduler} and {@code replication} and waits for it. */
    ServiceLauncher startApi(ServiceLauncher scheduler, ServiceLauncher replication) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TANDEM_API_SCHEDULER_ADDRESS", "127.0.0.1:" + scheduler.port());
        env.put("TANDEM_API_REPLICATION_ADDRESS", "127.0.0.1:" + replication.port());
        ServiceLauncher api = start("api", "api-svc", "tandem-api.jar", "api", env);
        api.awaitHttpReady(START_DEADLINE);
        return api;
    }

    /** Starts volume node {@code <node>@<backend>} of {@code cluster} with {@code extra} settings; does not wait. */
    ServiceLauncher startNode(String node, String cluster, String backend, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TANDEM_VOLUME_CLUSTER", cluster);
        env.put("TANDEM_VOLUME_BACKEND", backend);
        env.putAll(extra);
        return start(node, "volume-svc", "tandem-volume.jar", node + "@" + backend, env);
    }

    /** A fresh directory under the log directory, e.g. a shared-filesystem site every node of a cluster sees. */
    Path directory(String name) {
        try {
            return Files.createDirectories(logs.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code cluster} the only one that takes new volumes (disabled = no new volumes, Cinder's rule). */
    void onlyClusterTakingCreates(String cluster) {
        try (Connection c = pool.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE clusters SET disabled = (name <> ?)")) {
            s.setString(1, cluster);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not select cluster " + cluster, e);
        }
    }

    @Override
    public void close() {
        processes.forEach(ServiceLauncher::close);
        pool.close();
        etcd.close();
    }

    private ServiceLauncher start(String name, String module, String jar, String host, Map<String, String> extra) {
        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TANDEM_DATABASE_URL", database.jdbcUrl());
        env.put("TANDEM_DATABASE_USERNAME", database.username());
        env.put("TANDEM_DATABASE_PASSWORD", database.password());
        env.put("TANDEM_DATABASE_STARTUP_TIMEOUT", "120s");
        env.put("TANDEM_ETCD_ENDPOINTS", etcd.endpoint());
        env.put("TANDEM_ETCD_PREFIX", "/bench");
        env.put("TANDEM_ETCD_STARTUP_TIMEOUT", "120s");
        env.put("TANDEM_SERVICE_HOST", host);
        if (module.equals("api-svc")) {
            env.put("MICRONAUT_SERVER_PORT", String.valueOf(port)); // REST only; the others listen for gRPC
        }
        env.putAll(extra);
        ServiceLauncher process = ServiceLauncher.launch(name, top, module, jar, port, env, logs);
        processes.add(process);
        return process;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
