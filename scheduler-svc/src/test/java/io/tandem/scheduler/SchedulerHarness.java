package io.tandem.scheduler;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.EmbeddedApplication;
import io.tandem.membership.CapacityStats;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.MembershipConfig;
import io.tandem.membership.Registration;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.jdbc.Queries;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.persistence.volume.NewVolume;
import io.tandem.persistence.volume.VolumeRepository;
import io.tandem.persistence.volume.VolumeRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.proto.v1.SchedulerServiceGrpc;
import io.tandem.proto.v1.SchedulerServiceGrpc.SchedulerServiceBlockingStub;
import io.tandem.runtime.grpc.RequestIds;
import io.tandem.scheduler.domain.dispatch.Dispatcher;
import io.tandem.scheduler.domain.placement.MemberDirectory;
import io.tandem.scheduler.domain.placement.TargetRows;
import io.tandem.testing.Eventually;
import io.tandem.testing.TestDatabase;
import io.tandem.testing.TestEtcd;
import io.tandem.testing.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * scheduler-svc as a Micronaut context in the test JVM, on a fresh database of the shared test PostgreSQL and a key
 * prefix of its own on the shared test etcd, with what a test needs around it: a client, volume members published in
 * etcd exactly as nodes publish themselves (member key and stats on a lease), and direct access to the rows.
 */
final class SchedulerHarness implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final long GIB = 1L << 30;

    private final TestDatabase database;
    private final String prefix;
    private final ApplicationContext context;
    private final ManagedChannel channel;
    private final EtcdMembership membership;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();

    private SchedulerHarness(
            TestDatabase database,
            String prefix,
            ApplicationContext context,
            ManagedChannel channel,
            EtcdMembership membership) {
        this.database = database;
        this.prefix = prefix;
        this.context = context;
        this.channel = channel;
        this.membership = membership;
    }

    /** Starts the scheduler with {@code overrides} on top of the test settings (e.g. tandem.scheduler.*). */
    static SchedulerHarness start(Class<?> testClass, Map<String, Object> overrides) {
        TestDatabase database = TestPostgres.shared().createDatabase();
        TestEtcd etcd = TestEtcd.shared();
        String prefix = "/sched-" + testClass.getSimpleName() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        int port = freePort();
        Map<String, Object> properties = new HashMap<>();
        properties.put("tandem.database.url", database.jdbcUrl());
        properties.put("tandem.database.username", database.username());
        properties.put("tandem.database.password", database.password());
        properties.put("tandem.database.max-pool-size", 20);
        properties.put("tandem.etcd.endpoints", List.of(etcd.endpoint()));
        properties.put("tandem.etcd.prefix", prefix);
        properties.put("tandem.etcd.lease-ttl", "2s");
        properties.put("tandem.service.host", "scheduler-" + testClass.getSimpleName());
        properties.put("grpc.server.port", port);
        properties.putAll(overrides);
        ApplicationContext context = ApplicationContext.builder()
                .properties(properties)
                .deduceEnvironment(false)
                .start();
        context.getBean(EmbeddedApplication.class).start();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .build();
        EtcdMembership membership = EtcdMembership.connect(
                MembershipConfig.defaults(etcd.endpoint()).withPrefix(prefix).withLeaseTtl(Duration.ofSeconds(2)));
        return new SchedulerHarness(database, prefix, context, channel, membership);
    }

    /** A client with a deadline, sending {@code requestId} (null: none). */
    SchedulerServiceBlockingStub client(String requestId) {
        Metadata metadata = new Metadata();
        if (requestId != null) {
            metadata.put(RequestIds.METADATA_KEY, requestId);
        }
        return SchedulerServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    SchedulerServiceBlockingStub client() {
        return client(null);
    }

    DataSource dataSource() {
        return database.dataSource();
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Creates cluster {@code name} (volume) and sets its epoch. */
    void cluster(String name, long epoch) {
        new ClusterRepository(dataSource()).createIfMissing(name, "volume");
        sql("UPDATE clusters SET epoch = ? WHERE name = ? AND binary_name = 'volume'", epoch, name);
    }

    /** Runs one statement on the test database (how tests set flags that RPCs of other issues will set). */
    int sql(String statement, Object... params) {
        return Transactions.withConnection(dataSource(), c -> Queries.update(c, statement, params));
    }

    /** The single number {@code query} returns, e.g. a count. */
    long count(String query, Object... params) {
        return Transactions.withConnection(dataSource(), c -> Queries.one(c, query, r -> r.getLong(1), params)
                .orElseThrow());
    }

    /**
     * Publishes volume node {@code host} as a live member of {@code cluster} (null: non-clustered) serving {@code
     * epoch} at {@code address}, with {@code freeGb} GiB free, as a node does: services row, member key and stats on
     * its lease. Returns the services.id.
     */
    int member(String cluster, String host, long epoch, long freeGb, String address) {
        int id = new ServiceRepository(dataSource())
                .upsert(host, "volume", cluster)
                .id();
        Registration registration = membership.registerMember(
                new MemberInfo(host, cluster, backendOf(host), address, null, epoch, Instant.now()), (r, reason) -> {});
        registrations.add(registration);
        registration
                .putStats(new CapacityStats(freeGb * 2 * GIB, freeGb * GIB, Instant.now()))
                .join();
        return id;
    }

    /** Publishes new stats for member {@code host}, as a node does after its capacity changed. */
    void stats(String host, long freeGb) {
        for (Registration r : registrations) {
            if (r.member().host().equals(host)) {
                r.putStats(new CapacityStats(freeGb * 2 * GIB, freeGb * GIB, Instant.now()))
                        .join();
            }
        }
    }

    /** Takes member {@code host} out of etcd at once (its lease revoked), as a node that stopped. */
    void stopMember(String host) {
        for (Registration r : registrations) {
            if (r.member().host().equals(host)) {
                r.close();
                registrations.remove(r);
            }
        }
    }

    /** Waits until the scheduler's directory sees exactly {@code hosts} serving the current epoch of {@code cluster}. */
    void awaitServing(String cluster, Set<String> hosts) {
        MemberDirectory directory = bean(MemberDirectory.class);
        TargetRows targets = bean(TargetRows.class);
        Eventually.await(WAIT, "members " + hosts + " serving " + cluster, () -> {
            var target = targets.candidates().stream()
                    .filter(t -> cluster.equals(t.name()))
                    .findFirst()
                    .orElseThrow();
            Set<String> serving =
                    directory.serving(target).stream().map(MemberInfo::host).collect(Collectors.toSet());
            return serving.equals(hosts);
        });
    }

    /** Waits until every dispatch the scheduler started has ended (answered, refused or given up). */
    void awaitDispatchesDone() {
        Dispatcher dispatcher = bean(Dispatcher.class);
        Eventually.await(WAIT, "dispatches to end", () -> dispatcher.pending() == 0);
    }

    Optional<VolumeRow> volume(String id) {
        return new VolumeRepository(dataSource()).find(UUID.fromString(id));
    }

    Optional<WorkerRow> worker(String id) {
        return Transactions.withConnection(dataSource(), c -> WorkerRows.findByResource(c, WorkerRows.VOLUME, id));
    }

    /** Inserts a volume directly, then moves it to {@code status}; no workers row. */
    VolumeRow insertVolume(String project, String cluster, String host, int sizeGb, String status, String name) {
        UUID id = UUID.randomUUID();
        return Transactions.inTransaction(dataSource(), c -> {
            VolumeRepository.insert(c, new NewVolume(id, project, "u", name, null, sizeGb, cluster, host, "disabled"));
            Queries.update(c, "UPDATE volumes SET status = ? WHERE id = ?", status, id);
            return VolumeRepository.find(c, id).orElseThrow();
        });
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String backendOf(String host) {
        int at = host.indexOf('@');
        return at < 0 ? "backend" : host.substring(at + 1);
    }

    String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        context.close();
        registrations.forEach(Registration::close);
        membership.close();
    }
}
