package io.tandem.replication;

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
import io.tandem.proto.v1.ReplicationServiceGrpc;
import io.tandem.testing.TestDatabase;
import io.tandem.testing.TestEtcd;
import io.tandem.testing.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final DataSource dataSource;
    private final ApplicationContext context;
    private final ManagedChannel channel;
    private final EtcdMembership etcd;
    private final List<Registration> registrations = new ArrayList<>();

    private ReplicationHarness(
            DataSource dataSource, ApplicationContext context, ManagedChannel channel, EtcdMembership etcd) {
        this.dataSource = dataSource;
        this.context = context;
        this.channel = channel;
        this.etcd = etcd;
    }

    /** Starts replication-svc with {@code extra} properties on top of the test wiring. */
    static ReplicationHarness start(Map<String, Object> extra) {
        TestDatabase db = TestPostgres.shared().createDatabase();
        String etcdEndpoint = TestEtcd.shared().endpoint();
        String prefix = "/t-" + UUID.randomUUID();
        Map<String, Object> properties = new HashMap<>();
        properties.put("tandem.database.url", db.jdbcUrl());
        properties.put("tandem.database.username", db.username());
        properties.put("tandem.database.password", db.password());
        properties.put("tandem.database.max-pool-size", 4);
        properties.put("tandem.etcd.endpoints", List.of(etcdEndpoint));
        properties.put("tandem.etcd.prefix", prefix);
        properties.put("tandem.etcd.lease-ttl", "2s");
        properties.put("tandem.service.host", "replication-test");
        properties.put("grpc.server.port", "${random.port}");
        properties.putAll(extra);
        ApplicationContext context = ApplicationContext.builder()
                .properties(properties)
                .deduceEnvironment(false)
                .banner(false)
                .start();
        GrpcEmbeddedServer server = context.getBean(GrpcEmbeddedServer.class);
        server.start();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .build();
        EtcdMembership etcd = EtcdMembership.connect(
                MembershipConfig.defaults(etcdEndpoint).withPrefix(prefix).withLeaseTtl(Duration.ofSeconds(2)));
        return new ReplicationHarness(db.dataSource(), context, channel, etcd);
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
        sql("TRUNCATE workers, volumes, services, clusters, replication_targets CASCADE");
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

    private Registration track(Registration registration) {
        registrations.add(registration);
        return registration;
    }

    @Override
    public void close() {
        registrations.forEach(Registration::close);
        channel.shutdownNow();
        etcd.close();
        context.close();
    }
}
