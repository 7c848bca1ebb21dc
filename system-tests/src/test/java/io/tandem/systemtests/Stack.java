package io.tandem.systemtests;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MembershipConfig;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.testing.TestDatabase;
import io.tandem.testing.TestEtcd;
import io.tandem.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * What one test class runs its services against: a fresh database on the shared test PostgreSQL, a key prefix of its
 * own on the shared test etcd, free ports, and a log directory; plus the views a test needs to check the outcome (the
 * raw etcd keys, the membership library, the repositories). {@link #close()} stops every process started through it.
 */
public final class Stack implements AutoCloseable {
    /** etcd's practical floor; a crashed node's keys vanish within this plus ~3 s on a busy 2-core machine. */
    public static final Duration LEASE_TTL = Duration.ofSeconds(2);
    /** Generous bounds for dependencies that are up: under load a service's start can take tens of seconds. */
    private static final String DEPENDENCY_TIMEOUT = "60s";

    private static final Set<Integer> PORTS_HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final TestDatabase database;
    private final TestEtcd etcd;
    private final String prefix;
    private final Path logs;
    private final List<ServiceProcess> processes = new CopyOnWriteArrayList<>();
    private Client etcdClient;
    private EtcdMembership membership;

    private Stack(TestDatabase database, TestEtcd etcd, String prefix, Path logs) {
        this.database = database;
        this.etcd = etcd;
        this.prefix = prefix;
        this.logs = logs;
    }

    /** A stack for {@code testClass}: logs in {@code target/system-tests/<class>/}. */
    public static Stack create(Class<?> testClass) {
        String label = testClass.getSimpleName();
        String logRoot = System.getProperty("tandem.systemtests.logs", "target/system-tests");
        String prefix = "/systest-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path logs = Path.of(logRoot, label).toAbsolutePath();
        // The previous run's sites stay for inspection until this run starts; a story that renames or destroys a site
        // directory must not find the last run's leftovers.
        deleteTree(logs.resolve("sites"));
        return new Stack(TestPostgres.shared().createDatabase(), TestEtcd.shared(), prefix, logs);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not clear the previous run's sites under " + root, e);
        }
    }

    public TestDatabase database() {
        return database;
    }

    public String etcdEndpoint() {
        return etcd.endpoint();
    }

    /** Where this stack's processes write their logs ({@code target/system-tests/<class>/}). */
    public Path logDirectory() {
        return logs;
    }

    /** The etcd key prefix of this stack ({@code TANDEM_ETCD_PREFIX}). */
    public String prefix() {
        return prefix;
    }

    /**
     * The configuration every service of this stack gets: this database and etcd prefix, a 2 s lease, its host and
     * port. {@code extra} is applied last, so a test can point a setting elsewhere.
     */
    public Map<String, String> environment(String host, ServiceKind kind, int port, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TANDEM_DATABASE_URL", database.jdbcUrl());
        env.put("TANDEM_DATABASE_USERNAME", database.username());
        env.put("TANDEM_DATABASE_PASSWORD", database.password());
        env.put("TANDEM_DATABASE_STARTUP_TIMEOUT", DEPENDENCY_TIMEOUT);
        env.put("TANDEM_ETCD_ENDPOINTS", etcd.endpoint());
        env.put("TANDEM_ETCD_PREFIX", prefix);
        env.put("TANDEM_ETCD_LEASE_TTL", LEASE_TTL.toSeconds() + "s");
        env.put("TANDEM_ETCD_STARTUP_TIMEOUT", DEPENDENCY_TIMEOUT);
        env.put("TANDEM_SERVICE_HOST", host);
        env.put(kind.portVariable(), String.valueOf(port));
        env.putAll(extra);
        return env;
    }

    /** Starts a service on a free port with {@link #environment}; does not wait for it. */
    public ServiceProcess start(String name, String host, ServiceKind kind, Map<String, String> extra) {
        int port = freePort();
        ServiceProcess process = ServiceProcess.launch(name, kind, port, environment(host, kind, port, extra), logs);
        processes.add(process);
        return process;
    }

    /** Starts a scheduler, replication or api service whose host is its name, as the dev stack does. */
    public ServiceProcess start(String name, ServiceKind kind) {
        return start(name, name, kind, Map.of());
    }

    /**
     * Starts volume node {@code <node>@<backend>} in {@code cluster}, as the dev stack does: the shared-filesystem
     * driver on a primary site directory that every node of the cluster shares (unless {@code extra} says otherwise).
     */
    public ServiceProcess startVolumeNode(String node, String cluster, String backend, Map<String, String> extra) {
        return startVolumeNode(node, node, cluster, backend, extra);
    }

    /** As {@link #startVolumeNode(String, String, String, Map)}, logging as {@code name} (e.g. a node restarted). */
    public ServiceProcess startVolumeNode(
            String name, String node, String cluster, String backend, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TANDEM_VOLUME_CLUSTER", cluster);
        env.put("TANDEM_VOLUME_BACKEND", backend);
        env.put(
                "TANDEM_VOLUME_PRIMARY_LOCATION",
                siteDirectory(cluster + "-primary").toString());
        env.putAll(extra);
        return start(name, node + "@" + backend, ServiceKind.VOLUME, env);
    }

    /** A site directory of this stack (created on first use), under its log folder so that a failed run keeps it. */
    public Path siteDirectory(String name) {
        Path site = logs.resolve("sites").resolve(name);
        try {
            Files.createDirectories(site);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create site directory " + site, e);
        }
        return site;
    }

    /** The value at {@code <prefix>/<relativeKey>}, read straight from etcd (not through Tandem's library). */
    public Optional<String> etcdValue(String relativeKey) {
        String key = prefix + "/" + relativeKey;
        try {
            List<KeyValue> kvs = etcdClient()
                    .getKVClient()
                    .get(ByteSequence.from(key, StandardCharsets.UTF_8))
                    .get(5, TimeUnit.SECONDS)
                    .getKvs();
            return kvs.stream().findFirst().map(kv -> kv.getValue().toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + key, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read " + key + " from etcd", e);
        }
    }

    /** The membership library on this stack's prefix, for listing and watching as the services themselves do. */
    public synchronized EtcdMembership membership() {
        if (membership == null) {
            membership = EtcdMembership.connect(MembershipConfig.defaults(etcd.endpoint())
                    .withPrefix(prefix)
                    .withLeaseTtl(LEASE_TTL));
        }
        return membership;
    }

    public ServiceRepository services() {
        return new ServiceRepository(dataSource());
    }

    public ClusterRepository clusters() {
        return new ClusterRepository(dataSource());
    }

    public DataSource dataSource() {
        return database.dataSource();
    }

    /** A loopback port nobody listens on now, never handed out twice by this JVM. */
    public static int freePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                if (PORTS_HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }
        throw new IllegalStateException("no fresh free port after 100 attempts");
    }

    /** Every process's logs, for a failure message. */
    public String diagnostics() {
        StringBuilder text = new StringBuilder();
        processes.forEach(p -> text.append(p.diagnostics()));
        return text.toString();
    }

    /** Stops every process started here (SIGTERM to all at once, SIGKILL to any still running 10 s later). */
    @Override
    public synchronized void close() {
        processes.forEach(p -> {
            if (p.isAlive()) {
                p.terminate();
            }
        });
        processes.forEach(ServiceProcess::close);
        if (membership != null) {
            membership.close();
            membership = null;
        }
        if (etcdClient != null) {
            etcdClient.close();
            etcdClient = null;
        }
    }

    private synchronized Client etcdClient() {
        if (etcdClient == null) {
            etcdClient = Client.builder().endpoints(etcd.endpoint()).build();
        }
        return etcdClient;
    }
}
