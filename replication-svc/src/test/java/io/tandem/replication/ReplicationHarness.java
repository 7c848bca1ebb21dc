package io.tandem.replication;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.LeaseLossListener;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.MembershipConfig;
import io.tandem.membership.Registration;
import io.tandem.membership.ServiceInfo;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.cluster.ClusterRow;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.proto.v1.Failover;
import io.tandem.proto.v1.FailoverPhase;
import io.tandem.proto.v1.GetFailoverRequest;
import io.tandem.proto.v1.PromoteRequest;
import io.tandem.proto.v1.PromoteResponse;
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.proto.v1.ReplicationTarget;
import io.tandem.replication.domain.failover.Transitions;
import io.tandem.testing.Eventually;
import io.tandem.testing.TestDatabase;
import io.tandem.testing.TestEtcd;
import io.tandem.testing.TestPostgres;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * replication-svc as it runs in production, in the test JVM: its Micronaut context (gRPC server on a free port,
 * migrations, its own etcd registration) against a private database on the test PostgreSQL and a key prefix of its
 * own on the test etcd. The test writes rows directly and registers nodes and services in etcd through a membership
 * client of its own, exactly as volume-svc and the other services do, then calls the real gRPC endpoint.
 */
final class ReplicationHarness implements AutoCloseable {
    private static final LeaseLossListener IGNORE_LOSS = (registration, reason) -> {};
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(20);
    private static final Set<FailoverPhase> FINAL = Set.of(
            FailoverPhase.FAILOVER_PHASE_COMPLETED,
            FailoverPhase.FAILOVER_PHASE_COMPLETED_WITH_FENCED_MEMBERS,
            FailoverPhase.FAILOVER_PHASE_FAILED,
            FailoverPhase.FAILOVER_PHASE_REVERTED);

    private final Class<?> owner;
    private final TestDatabase db;
    private final String prefix;
    private final DataSource dataSource;
    private final ApplicationContext context;
    private final ManagedChannel channel;
    private final EtcdMembership etcd;
    private final List<Registration> registrations = new ArrayList<>();
    private boolean closed;

    private ReplicationHarness(
            Class<?> owner,
            TestDatabase db,
            String prefix,
            ApplicationContext context,
            ManagedChannel channel,
            EtcdMembership etcd) {
        this.owner = owner;
        this.db = db;
        this.prefix = prefix;
        this.dataSource = db.dataSource();
        this.context = context;
        this.channel = channel;
        this.etcd = etcd;
    }

    /** Starts replication-svc with {@code extra} properties on top of the test wiring. */
    static ReplicationHarness start(Map<String, Object> extra) {
        return start(ReplicationHarness.class, extra);
    }

    /**
     * Starts replication-svc for the tests of {@code owner}; when the harness closes, the transitions this instance
     * made are added to {@link TransitionCoverage} under that class.
     */
    static ReplicationHarness start(Class<?> owner, Map<String, Object> extra) {
        return start(
                owner, TestPostgres.shared().createDatabase(), "/t-" + UUID.randomUUID(), "replication-test", extra);
    }

    /**
     * A second replication-svc instance, named {@code host}, on this one's database and etcd prefix: what another
     * replica of the service (or this one restarted) sees.
     */
    ReplicationHarness startPeer(String host, Map<String, Object> extra) {
        return start(owner, db, prefix, host, extra);
    }

    private static ReplicationHarness start(
            Class<?> owner, TestDatabase db, String prefix, String host, Map<String, Object> extra) {
        String etcdEndpoint = TestEtcd.shared().endpoint();
        Map<String, Object> properties = new HashMap<>();
        properties.put("tandem.database.url", db.jdbcUrl());
        properties.put("tandem.database.username", db.username());
        properties.put("tandem.database.password", db.password());
        properties.put("tandem.database.max-pool-size", 4);
        properties.put("tandem.etcd.endpoints", List.of(etcdEndpoint));
        properties.put("tandem.etcd.prefix", prefix);
        properties.put("tandem.etcd.lease-ttl", "2s");
        properties.put("tandem.service.host", host);
        properties.put("grpc.server.port", "${random.port}");
        properties.putAll(extra);
        ApplicationContext context = null;
        GrpcEmbeddedServer server = null;
        for (int attempt = 1; server == null; attempt++) {
            context = ApplicationContext.builder()
                    .properties(properties)
                    .deduceEnvironment(false)
                    .banner(false)
                    .start();
            try {
                server = context.getBean(GrpcEmbeddedServer.class);
                server.start();
            } catch (RuntimeException e) {
                // ${random.port} picks a port that was free a moment ago; on a busy machine another process may take
                // it first. A new context picks another one.
                context.close();
                server = null;
                if (attempt == 5 || !portTaken(e)) {
                    throw e;
                }
            }
        }
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .build();
        EtcdMembership etcd = EtcdMembership.connect(
                MembershipConfig.defaults(etcdEndpoint).withPrefix(prefix).withLeaseTtl(Duration.ofSeconds(2)));
        return new ReplicationHarness(owner, db, prefix, context, channel, etcd);
    }

    private static boolean portTaken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** The transitions this instance has made so far. */
    Transitions transitions() {
        return context.getBean(Transitions.class);
    }

    /**
     * A new etcd client on the service's prefix that outlives this harness, e.g. for members that must stay up while
     * the service instances around them stop and start. The caller closes it.
     */
    EtcdMembership newEtcdClient() {
        return EtcdMembership.connect(
                MembershipConfig.defaults(TestEtcd.shared().endpoint())
                        .withPrefix(prefix)
                        .withLeaseTtl(Duration.ofSeconds(2)));
    }

    /** The test's own etcd client on the service's prefix (epoch keys, member keys). */
    EtcdMembership etcd() {
        return etcd;
    }

    /** A stub whose calls each carry a deadline. */
    ReplicationServiceGrpc.ReplicationServiceBlockingStub stub() {
        return ReplicationServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Back to an empty system between tests: nothing registered by the test, no rows. */
    void reset() {
        registrations.forEach(Registration::close);
        registrations.clear();
        sql("TRUNCATE workers, volumes, services, clusters, replication_targets, failovers, failover_members CASCADE");
        deleteEtcdPrefix(prefix + "/epochs/");
    }

    /** Deletes every key under {@code keyPrefix} (test setup only: epoch keys left by an earlier test). */
    private static void deleteEtcdPrefix(String keyPrefix) {
        try (Client client =
                Client.builder().endpoints(TestEtcd.shared().endpoint()).build()) {
            client.getKVClient()
                    .delete(
                            ByteSequence.from(keyPrefix, StandardCharsets.UTF_8),
                            DeleteOption.builder().isPrefix(true).build())
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not delete " + keyPrefix + " in etcd", e);
        }
    }

    /** Registers a services row, as a service does at start. */
    ServiceRow service(String host, String binary, String cluster) {
        return new ServiceRepository(dataSource).upsert(host, binary, cluster);
    }

    /** Creates a volume cluster row, as its first member does at start. */
    ClusterRow cluster(String name) {
        return new ClusterRepository(dataSource).createIfMissing(name, "volume");
    }

    ServiceRow reloadService(String host, String binary) {
        return new ServiceRepository(dataSource).find(host, binary).orElseThrow();
    }

    ClusterRow reloadCluster(String name) {
        return new ClusterRepository(dataSource).find(name, "volume").orElseThrow();
    }

    /** Runs one statement (test setup only). */
    int sql(String statement, Object... params) {
        return Transactions.withConnection(dataSource, c -> Queries.update(c, statement, params));
    }

    /** Puts a volume node's member key on a lease of its own: the node is up until {@link Registration#close()}. */
    Registration memberUp(String host, String cluster, String address, long epoch) {
        String backend = host.substring(host.indexOf('@') + 1);
        MemberInfo member = new MemberInfo(host, cluster, backend, address, null, epoch, Instant.now());
        return track(etcd.registerMember(member, IGNORE_LOSS));
    }

    /** Puts a non-volume service's key on a lease of its own. */
    Registration serviceUp(String binary, String host) {
        ServiceInfo service = new ServiceInfo(binary, host, "127.0.0.1:1", Instant.now());
        return track(etcd.registerService(service, IGNORE_LOSS));
    }

    /** Inserts a workers row held by {@code serviceId} for a new volume id; returns the volume id. */
    String workersRow(int serviceId, String status) {
        String id = UUID.randomUUID().toString();
        sql(
                "INSERT INTO workers (resource_type, resource_id, status, service_id) VALUES ('Volume', ?, ?, ?)",
                id,
                status,
                serviceId);
        return id;
    }

    /** Settings that keep the failover tests quick: short backoffs, few attempts, a fast resume scan. */
    static Map<String, Object> fastFailover() {
        Map<String, Object> fast = new HashMap<>();
        fast.put("tandem.replication.resume-interval", "200ms");
        fast.put("tandem.replication.retry-initial-delay", "20ms");
        fast.put("tandem.replication.retry-max-delay", "100ms");
        fast.put("tandem.replication.complete-attempts", 3);
        fast.put("tandem.replication.promote-attempts", 2);
        fast.put("tandem.replication.complete-call-timeout", "2s");
        fast.put("tandem.replication.promote-call-timeout", "5s");
        fast.put("tandem.replication.node-call-timeout", "2s");
        fast.put("tandem.replication.drain-timeout", "3s");
        fast.put("tandem.replication.drain-poll-interval", "50ms");
        fast.put("tandem.replication.shutdown-timeout", "5s");
        return fast;
    }

    /**
     * A replicated volume cluster as its members leave it at start: the cluster row and one services row per host in
     * {@code enabled} on the primary at epoch 0, and its sites in replication_targets (the primary as {@code
     * default}, one row per target).
     */
    void replicatedCluster(String cluster, List<String> targets, String... hosts) {
        cluster(cluster);
        sql("UPDATE clusters SET replication_status = 'enabled' WHERE name = ?", cluster);
        for (String host : hosts) {
            service(host, "volume", cluster);
        }
        sql("UPDATE services SET replication_status = 'enabled' WHERE cluster_name = ?", cluster);
        sites(cluster, targets);
    }

    /** A replicated non-clustered volume host, as it leaves itself at start. */
    void replicatedHost(String host, List<String> targets) {
        service(host, "volume", null);
        sql("UPDATE services SET replication_status = 'enabled' WHERE host = ?", host);
        sites(host, targets);
    }

    /** The sites of {@code scope}: the primary (stored as {@code default}) and {@code targets}. */
    void sites(String scope, List<String> targets) {
        sql(
                "INSERT INTO replication_targets (scope, backend_id, location, role) VALUES (?, 'default', ?, 'primary')",
                scope,
                "/sites/primary/" + scope);
        for (String target : targets) {
            sql(
                    "INSERT INTO replication_targets (scope, backend_id, location, role) VALUES (?, ?, ?, 'target')",
                    scope,
                    target,
                    "/sites/" + target + "/" + scope);
        }
    }

    /**
     * Registers {@code node} in etcd as member {@code host} of {@code cluster} (null: not clustered) serving {@code
     * epoch}, and lets it move its member key when it acknowledges a failover, as a real node does.
     */
    Registration member(RecordingVolumeNode node, String host, String cluster, long epoch) {
        Registration registration = memberUp(host, cluster, node.address(), epoch);
        node.serve(registration);
        return registration;
    }

    /** Inserts an available volume of {@code cluster} (null: of the non-clustered {@code host}); returns its id. */
    UUID volume(String cluster, String host, String replicationStatus) {
        UUID id = UUID.randomUUID();
        sql(
                "INSERT INTO volumes (id, project_id, size_gb, status, cluster_name, host, replication_status,"
                        + " provider_location) VALUES (?, 'p1', 1, 'available', ?, ?, ?, ?)",
                id,
                cluster,
                host,
                replicationStatus,
                "/sites/primary/" + id);
        return id;
    }

    /** A replication target as a Promote request names it (role unset). */
    static ReplicationTarget site(String backendId, String location) {
        return ReplicationTarget.newBuilder()
                .setBackendId(backendId)
                .setLocation(location)
                .build();
    }

    /** Promote of cluster {@code cluster} with {@code targets}. */
    PromoteResponse promote(String cluster, List<ReplicationTarget> targets) {
        return stub().promote(PromoteRequest.newBuilder()
                .setCluster(cluster)
                .addAllTargets(targets)
                .build());
    }

    /** The rows of replication_targets of {@code scope} as "role backend_id location", the primary first. */
    List<String> siteRows(String scope) {
        return Transactions.withConnection(
                dataSource,
                c -> Queries.list(
                        c,
                        "SELECT role || ' ' || backend_id || ' ' || location FROM replication_targets WHERE scope = ?"
                                + " ORDER BY role, id",
                        r -> r.getString(1),
                        scope));
    }

    /** GetFailover of {@code id}. */
    Failover failover(long id) {
        return stub().getFailover(GetFailoverRequest.newBuilder().setId(id).build())
                .getFailover();
    }

    /** Waits until journal row {@code id} is final and returns it. */
    Failover awaitFinal(long id) {
        return Eventually.awaitValue(Duration.ofSeconds(30), "failover " + id + " to finish", () -> {
            Failover f = failover(id);
            return FINAL.contains(f.getPhase()) ? Optional.of(f) : Optional.empty();
        });
    }

    /** Waits until journal row {@code id} is in {@code phase}. */
    Failover awaitPhase(long id, FailoverPhase phase) {
        return Eventually.awaitValue(Duration.ofSeconds(30), "failover " + id + " to reach " + phase, () -> {
            Failover f = failover(id);
            return f.getPhase() == phase ? Optional.of(f) : Optional.empty();
        });
    }

    /** One value of a query (test assertions only). */
    <T> T value(String query, io.tandem.persistence.jdbc.RowMapper<T> mapper, Object... params) {
        return Transactions.withConnection(
                dataSource, c -> Queries.one(c, query, mapper, params).orElseThrow());
    }

    private Registration track(Registration registration) {
        registrations.add(registration);
        return registration;
    }

    /** Stops the service as an orderly shutdown does (its lease revoked, its threads stopped); idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        TransitionCoverage.add(owner, transitions());
        registrations.forEach(Registration::close);
        channel.shutdownNow();
        etcd.close();
        context.close();
    }
}
