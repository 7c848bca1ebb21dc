package io.tandem.volume;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.tandem.driver.memory.Faults;
import io.tandem.driver.memory.InMemoryDriver;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MembershipConfig;
import io.tandem.proto.v1.VolumeServiceGrpc;
import io.tandem.testing.TestDatabase;
import io.tandem.testing.TestEtcd;
import io.tandem.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Volume nodes for tests: each a Micronaut context of its own (its own host, gRPC port, pool, etcd client) in this
 * JVM, all sharing one fresh PostgreSQL database, the JVM's etcd under a prefix of this instance's own, and one
 * in-memory backend, so that nodes of a cluster see the same volumes and tests can count driver calls and inject
 * faults. Leases live 2 s, etcd's practical floor.
 */
final class TestNodes implements AutoCloseable {
    static final Duration LEASE_TTL = Duration.ofSeconds(2);

    private final TestDatabase database = TestPostgres.shared().createDatabase();
    private final HikariDataSource pool = pool(database);
    private final String etcdPrefix = "/test-" + UUID.randomUUID();
    private final String backend;
    private final List<Node> nodes = new ArrayList<>();
    private EtcdMembership observer;

    /** @param backend the backend name, unique per test class (the in-memory backends are JVM-wide) */
    TestNodes(String backend) {
        this.backend = backend;
        InMemoryDriver.reset(backend);
    }

    String backend() {
        return backend;
    }

    /** A pool on the nodes' database for the test's own reads and writes (racing tests write many rows quickly). */
    DataSource dataSource() {
        return pool;
    }

    Faults faults() {
        return InMemoryDriver.faults(backend);
    }

    /** An etcd client of the test's own, on the nodes' prefix, to look at member keys. */
    synchronized EtcdMembership etcd() {
        if (observer == null) {
            observer = EtcdMembership.connect(
                    MembershipConfig.defaults(TestEtcd.shared().endpoint())
                            .withPrefix(etcdPrefix)
                            .withLeaseTtl(LEASE_TTL));
        }
        return observer;
    }

    /** Starts a node of {@code cluster} (null: not clustered) named {@code <name>@<backend>}. */
    Node start(String name, String cluster) {
        return start(name, cluster, Map.of());
    }

    /** As {@link #start(String, String)} with extra or overriding properties. */
    Node start(String name, String cluster, Map<String, Object> extra) {
        Map<String, Object> properties = properties(name, cluster);
        properties.putAll(extra);
        ApplicationContext context = ApplicationContext.builder()
                .properties(properties)
                .deduceEnvironment(false)
                .banner(false)
                .start();
        try {
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            Node node = new Node(name + "@" + backend, context, server.getPort());
            synchronized (this) {
                nodes.add(node);
            }
            return node;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** The properties a node starts with; {@code grpc.server.port} 0 means a free port. */
    Map<String, Object> properties(String name, String cluster) {
        Map<String, Object> p = new HashMap<>();
        p.put("tandem.database.url", database.jdbcUrl());
        p.put("tandem.database.username", database.username());
        p.put("tandem.database.password", database.password());
        p.put("tandem.database.max-pool-size", 16);
        p.put("tandem.database.startup-timeout", "10s");
        p.put("tandem.etcd.endpoints", List.of(TestEtcd.shared().endpoint()));
        p.put("tandem.etcd.prefix", etcdPrefix);
        p.put("tandem.etcd.lease-ttl", LEASE_TTL.toSeconds() + "s");
        p.put("tandem.etcd.startup-timeout", "10s");
        p.put("tandem.service.host", name + "@" + backend);
        p.put("tandem.volume.cluster", cluster == null ? "" : cluster);
        p.put("tandem.volume.backend", backend);
        p.put("tandem.volume.driver", InMemoryDriver.NAME);
        p.put("tandem.volume.stats-interval", "1s");
        p.put("tandem.volume.cleanup-grace", "300ms");
        // Sweeps are run by the tests that need them, so that they never race an assertion by surprise.
        p.put("tandem.volume.cleanup-interval", "1h");
        // Likewise replication cycles: one at start (the key is taken), then only where a test asks for them.
        p.put("tandem.volume.replication-interval", "1h");
        p.put("tandem.volume.drain-timeout", "2s");
        p.put("grpc.server.port", 0);
        p.put("grpc.server.host", "127.0.0.1");
        return p;
    }

    private static HikariDataSource pool(TestDatabase database) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.username());
        config.setPassword(database.password());
        config.setMaximumPoolSize(4);
        config.setPoolName("test");
        return new HikariDataSource(config);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        List<Node> all;
        synchronized (this) {
            all = List.copyOf(nodes);
        }
        all.forEach(Node::close);
        if (observer != null) {
            observer.close();
        }
        pool.close();
        InMemoryDriver.reset(backend);
    }

    /** One running node and a channel to it. */
    static final class Node implements AutoCloseable {
        final String host;
        final ApplicationContext context;
        final int port;
        private final ManagedChannel channel;

        Node(String host, ApplicationContext context, int port) {
            this.host = host;
            this.context = context;
            this.port = port;
            this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                    .usePlaintext()
                    .build();
        }

        VolumeServiceGrpc.VolumeServiceBlockingStub stub() {
            return VolumeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        }

        VolumeServiceGrpc.VolumeServiceFutureStub futureStub() {
            return VolumeServiceGrpc.newFutureStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        }

        <T> T bean(Class<T> type) {
            return context.getBean(type);
        }

        /** Cuts the node off etcd without revoking its lease, as a crash would; its process keeps running. */
        void crash() {
            bean(EtcdMembership.class).abandon();
        }

        @Override
        public void close() {
            channel.shutdownNow();
            if (context.isRunning()) {
                context.close();
            }
        }
    }
}
