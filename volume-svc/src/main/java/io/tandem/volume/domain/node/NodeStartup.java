package io.tandem.volume.domain.node;

import io.grpc.protobuf.services.HealthStatusManager;
import io.tandem.core.ServiceBinary;
import io.tandem.driver.DriverContext;
import io.tandem.driver.DriverFactory;
import io.tandem.driver.VolumeDriver;
import io.tandem.membership.EtcdMembership;
import io.tandem.persistence.cluster.ClusterRepository;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.persistence.service.ServiceRepository;
import io.tandem.persistence.service.ServiceRow;
import io.tandem.persistence.workers.WorkerRow;
import io.tandem.persistence.workers.WorkerRows;
import io.tandem.runtime.config.ServiceConfiguration;
import io.tandem.runtime.startup.LiveRegistration;
import io.tandem.volume.config.ReplicationTargetConfiguration;
import io.tandem.volume.config.VolumeNodeConfiguration;
import io.tandem.volume.domain.cleanup.CleanupSweep;
import io.tandem.volume.domain.cleanup.DeadMemberCleanup;
import io.tandem.volume.domain.cleanup.WorkerCleaner;
import io.tandem.volume.domain.lifecycle.InFlightVolumes;
import io.tandem.volume.domain.lifecycle.ScopeState;
import io.tandem.volume.domain.replication.ReplicatorLoop;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume node's start sequence (ARCHITECTURE.md, "Volume service start"), in that order, before the node accepts
 * any call; and its orderly stop. A failure at any step propagates and ends the process with one line.
 *
 * <ol>
 *   <li>Connections: the DataSource and EtcdMembership beans waited, bounded, for their servers when created.
 *   <li>Service row upserted; cluster row created if missing (race-safe).
 *   <li>Refuse a driver that cannot run as configured ({@link StartupRules}).
 *   <li>Seed {@code replication_targets} from configuration (first start only) and apply the start rule of the
 *       replication status ({@link ReplicationStatusRule}); read epoch, active backend and replication status from
 *       the cluster row (own row if not clustered), and the sites from the table; build the driver on them;
 *       {@code doSetup}; the node's own service row takes the cluster's replication fields (it has converged, which
 *       also lifts a fence replication-svc set while it was down or failing).
 *   <li>updateHostReplication, when a reset asks for it: one member runs it, the others wait ({@link
 *       StartupReplicationUpdate}).
 *   <li>Clean up this node's own leftover workers rows.
 *   <li>Publish the member key and capacity on a lease; SERVING; start the epoch watch ({@link NodeConvergence}), the
 *       replication cycles ({@link ReplicatorLoop}), the crash-cleanup watch and sweeps.
 * </ol>
 */
@Singleton
public class NodeStartup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStartup.class);
    private static final String VOLUME = ServiceBinary.VOLUME.stored();
    // How often a stopping node looks whether its running operations have finished; bounded by drain-timeout.
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final VolumeNodeConfiguration config;
    private final List<ReplicationTargetConfiguration> targets;
    private final ServiceConfiguration service;
    private final DataSource dataSource;
    private final EtcdMembership membership;
    private final NodeState state;
    private final InFlightVolumes inFlight;
    private final CapacityPublisher capacity;
    private final WorkerCleaner cleaner;
    private final DeadMemberCleanup deadMembers;
    private final CleanupSweep sweep;
    private final NodeConvergence convergence;
    private final ReplicatorLoop replicator;
    private final Optional<HealthStatusManager> health;
    private VolumeDriver driver;
    private LiveRegistration live;
    private boolean started;

    public NodeStartup(
            VolumeNodeConfiguration config,
            List<ReplicationTargetConfiguration> targets,
            ServiceConfiguration service,
            DataSource dataSource,
            EtcdMembership membership,
            NodeState state,
            InFlightVolumes inFlight,
            CapacityPublisher capacity,
            WorkerCleaner cleaner,
            DeadMemberCleanup deadMembers,
            CleanupSweep sweep,
            NodeConvergence convergence,
            ReplicatorLoop replicator,
            Optional<HealthStatusManager> health) {
        this.config = config;
        this.targets = targets;
        this.service = service;
        this.dataSource = dataSource;
        this.membership = membership;
        this.state = state;
        this.inFlight = inFlight;
        this.capacity = capacity;
        this.cleaner = cleaner;
        this.deadMembers = deadMembers;
        this.sweep = sweep;
        this.convergence = convergence;
        this.replicator = replicator;
        this.health = health;
    }

    /** Runs steps 2–7 once the gRPC server listens on {@code grpcPort} (the member key carries the address). */
    public synchronized void start(int grpcPort) {
        if (started) {
            return;
        }
        started = true;
        NodeIdentity identity = registerService();
        List<ReplicationTargetConfiguration> configured = ReplicationTargetConfiguration.checked(targets);
        driver = DriverFactory.create(config.getDriver());
        StartupRules.check(identity, driver.capabilities(), configured);
        ServedBackend served = updateHostReplication(identity, setUpDriver(identity, configured));
        cleanOwnLeftovers(identity);
        serve(identity, served, grpcPort);
    }

    /** Step 2. */
    private NodeIdentity registerService() {
        String backend = config.requireBackend();
        String cluster = config.clusterOrNull();
        ServiceRow row = new ServiceRepository(dataSource).upsert(service.getHost(), VOLUME, cluster);
        if (cluster != null) {
            new ClusterRepository(dataSource).createIfMissing(cluster, VOLUME);
        }
        // updated_at is the database's clock at this upsert: the cut-off between leftovers and new work in step 6.
        return new NodeIdentity(row.id(), row.host(), cluster, backend, row.updatedAt());
    }

    /** Step 4. */
    private ServedBackend setUpDriver(NodeIdentity identity, List<ReplicationTargetConfiguration> configured) {
        ReplicationTargetTable table = new ReplicationTargetTable(dataSource);
        table.seedIfEmpty(identity.scope(), config.getPrimaryLocation(), configured);
        ReplicationTargetTable.Sites sites = table.read(identity.scope(), config.getPrimaryLocation(), configured);
        boolean replicates = !sites.targets().isEmpty() && driver.capabilities().supportsReplication();
        new ReplicationStatusRule(dataSource).apply(identity, replicates);
        ScopeState scope = ScopeState.read(dataSource, identity);
        DriverContext context = new DriverContext(
                identity.host(),
                identity.backend(),
                scope.activeBackendId(),
                sites.primaryLocation(),
                sites.targets(),
                config.effectiveDriverOptions());
        driver.doSetup(context);
        ServedBackend served = new ServedBackend(scope.epoch(), scope.activeBackendId(), scope.replicationStatus());
        if (Transactions.withConnection(dataSource, c -> OwnServiceRow.takeClusterFields(c, identity, scope.epoch()))) {
            LOG.info("{}: own service row converged on the cluster's epoch {}", identity.describe(), scope.epoch());
        }
        state.driverReady(identity, served, driver, context);
        LOG.info(
                "{}: driver {} serves {} at epoch {} (replication {})",
                identity.describe(),
                driver.capabilities().driverName(),
                served.activeBackendId() == null ? "the primary site" : "target " + served.activeBackendId(),
                served.epoch(),
                served.replicationStatus());
        return served;
    }

    /**
     * Step 5: the driver's updateHostReplication when a reset asks for it, run by one member ({@link
     * StartupReplicationUpdate}); the node then serves the scope as the update left it.
     */
    private ServedBackend updateHostReplication(NodeIdentity identity, ServedBackend served) {
        ServingNode node = state.nodeOrNull();
        ScopeState scope =
                new StartupReplicationUpdate(dataSource, membership).run(identity, driver, node.driverContext());
        ServedBackend after = new ServedBackend(scope.epoch(), scope.activeBackendId(), scope.replicationStatus());
        if (after.equals(served)) {
            return served;
        }
        if (after.epoch() != served.epoch() || !Objects.equals(after.activeBackendId(), served.activeBackendId())) {
            // A failover committed while this node waited: it starts on what its driver was set up for and, being
            // stale, converges as soon as it serves (step 7 starts the epoch watch).
            return served;
        }
        Transactions.withConnection(dataSource, c -> OwnServiceRow.takeClusterFields(c, identity, after.epoch()));
        state.driverReady(identity, after, driver, node.driverContext());
        LOG.info(
                "{}: replication of {} is {} after the start-up update",
                identity.describe(),
                identity.scope(),
                after.replicationStatus());
        return after;
    }

    /** Step 6: rows this service held before this start; later ones are new work dispatched to it. */
    private void cleanOwnLeftovers(NodeIdentity identity) {
        List<WorkerRow> leftovers = Transactions.withConnection(
                dataSource,
                c -> WorkerRows.listByServicesUpdatedBefore(c, List.of(identity.serviceId()), identity.registeredAt()));
        if (!leftovers.isEmpty()) {
            int cleaned = cleaner.clean(
                    state.nodeOrNull(), leftovers, WorkerCleaner.Cause.HOLDER_DIED, config.getOrphanAge());
            LOG.info("{}: cleaned {} leftover workers row(s) of its previous run", identity.describe(), cleaned);
        }
    }

    /** Step 7. */
    private void serve(NodeIdentity identity, ServedBackend served, int grpcPort) {
        Instant startedAt = Instant.now();
        String address = Optional.ofNullable(service.getAdvertisedAddress()).orElse("127.0.0.1:" + grpcPort);
        live = new LiveRegistration(
                "volume " + identity.describe(),
                new MemberRegistrar(membership, state, capacity, convergence, address, startedAt),
                health);
        live.start();
        LiveRegistration registration = live;
        state.serve(registration::current, startedAt);
        // After serving, so that a failover committed since step 4 converges the node at once.
        convergence.watch(identity.scope());
        replicator.start();
        capacity.start(registration::current, config.getStatsInterval());
        deadMembers.start(identity.cluster());
        sweep.start();
        LOG.info("{} serves at {} (epoch {})", identity.describe(), address, served.epoch());
    }

    /**
     * Stops taking calls, lets running operations finish (bounded by {@code drain-timeout}), then leaves the cluster:
     * revoking the lease lets the others see at once that this node is gone.
     */
    @Override
    public synchronized void close() {
        state.stop();
        long deadline = System.nanoTime() + config.getDrainTimeout().toNanos();
        while (inFlight.size() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(DRAIN_POLL_NANOS);
        }
        if (inFlight.size() > 0) {
            LOG.warn("Stopping with {} operation(s) still running; the cluster cleans them up", inFlight.size());
        }
        // Replication first: it gives the key up while the lease still lives, so another member takes over at once.
        replicator.close();
        convergence.close();
        sweep.close();
        deadMembers.close();
        capacity.close();
        if (live != null) {
            live.close();
        }
        if (driver != null) {
            driver.close();
        }
    }
}
