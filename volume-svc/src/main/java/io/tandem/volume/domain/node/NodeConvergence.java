package io.tandem.volume.domain.node;

import io.tandem.core.BackendIds;
import io.tandem.core.error.FailedPreconditionException;
import io.tandem.core.error.InvalidArgumentException;
import io.tandem.core.error.TandemException;
import io.tandem.core.error.UnavailableException;
import io.tandem.driver.DriverContext;
import io.tandem.membership.EpochListener;
import io.tandem.membership.EpochRecord;
import io.tandem.membership.EtcdMembership;
import io.tandem.membership.LeaseLostException;
import io.tandem.membership.MemberInfo;
import io.tandem.membership.Registration;
import io.tandem.membership.WatchHandle;
import io.tandem.persistence.jdbc.Transactions;
import io.tandem.volume.domain.lifecycle.ScopeState;
import jakarta.inject.Singleton;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the node to what the database says its backend serves (step 4 and 5 of the failover protocol): the one path,
 * under one lock, taken by FailoverCompleted, by the epoch-key watch and by every (re-)registration, so that two of
 * them never switch the driver at once and each finds the other's work done.
 *
 * <p>Converging means, in this order: read the authoritative row (cluster, or own row when not clustered); if the node
 * serves another epoch or site, switch the driver's data path ({@code failoverCompleted}) and only then serve the new
 * epoch (calls starting from here carry it; management calls are accepted again); publish the epoch and site in the
 * member key, on the same lease; copy the cluster's replication fields into the node's own service row, which lifts a
 * fence replication-svc set. A driver failure leaves the node on its old epoch, hence stale: it refuses management
 * calls until a retry succeeds or it restarts.
 *
 * <p>A member that replication-svc fenced (own row in {@code error}) does not converge by itself on the watch or on a
 * re-registration: the issue wants a fenced member to stay out until it restarts (or until a FailoverCompleted,
 * replication-svc's explicit word, succeeds on it).
 */
@Singleton
public class NodeConvergence implements EpochListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeConvergence.class);

    private final DataSource dataSource;
    private final NodeState state;
    private final EtcdMembership membership;
    private final AtomicLong newestEpochSeen = new AtomicLong(-1);
    private volatile WatchHandle watch;

    public NodeConvergence(DataSource dataSource, NodeState state, EtcdMembership membership) {
        this.dataSource = dataSource;
        this.state = state;
        this.membership = membership;
    }

    /**
     * FailoverCompleted: serve {@code epoch} on {@code activeBackendId} once the database holds exactly that.
     *
     * @param activeBackendId the site to serve; empty, null or {@code default} = the primary
     * @return what the node serves now
     * @throws InvalidArgumentException when the epoch is not positive
     * @throws FailedPreconditionException when the database holds another epoch or site (a stale or uncommitted
     *     call), or the node already serves a newer epoch
     * @throws io.tandem.driver.DriverException when the driver could not switch (INTERNAL); the node stays stale
     * @throws UnavailableException when the node is not serving, or lost its lease while publishing the new epoch
     */
    public synchronized ServedBackend completeFailover(long failoverId, String activeBackendId, long epoch) {
        if (epoch <= 0) {
            throw new InvalidArgumentException("epoch must be positive, not " + epoch);
        }
        String active = primaryAsNull(activeBackendId);
        ServingNode node = state.requireServing();
        if (node.served().epoch() > epoch) {
            throw new FailedPreconditionException(node.identity().describe() + " already serves epoch "
                    + node.served().epoch() + ", newer than epoch " + epoch + " of failover " + failoverId);
        }
        ScopeState scope = ScopeState.read(dataSource, node.identity());
        if (!scope.serves(epoch, active)) {
            throw new FailedPreconditionException("Failover " + failoverId + " completes epoch " + epoch + " on "
                    + siteName(active) + ", but the database holds epoch " + scope.epoch() + " on "
                    + siteName(scope.activeBackendId()) + " for "
                    + node.identity().scope()
                    + ": the call is stale or its failover is not committed");
        }
        ServedBackend served = convergeTo(node, scope, "failover " + failoverId);
        if (state.registration().isEmpty()) {
            // The member key could not carry the new epoch; the re-registration will. The caller retries.
            throw new UnavailableException(node.identity().describe() + " serves epoch " + served.epoch()
                    + " but lost its etcd lease before publishing it; retry once it has registered again");
        }
        return served;
    }

    /** The epoch key changed (or was read at the watch's start): converge unless this member is fenced. */
    @Override
    public void epochChanged(String scope, EpochRecord record) {
        newestEpochSeen.accumulateAndGet(record.epoch(), Math::max);
        try {
            selfConverge("epoch key " + record.epoch() + " of " + scope);
        } catch (RuntimeException e) {
            // The node stays on its epoch (stale, so fenced by its writes) until a FailoverCompleted or a restart.
            LOG.warn("Could not converge on epoch {} of {}: {}", record.epoch(), scope, e.getMessage());
        }
    }

    /**
     * Registers the node in etcd after converging, under the lock, so that the member key carries what the node
     * serves at that moment and no convergence slips in between (used at start and after every lease loss).
     */
    synchronized Registration registerConverged(Function<ServedBackend, Registration> register) {
        try {
            selfConverge("registration");
        } catch (RuntimeException e) {
            // Register anyway, with the epoch the driver really serves: the scheduler sends a stale member no work.
            LOG.warn("Registering without converging: {}", e.getMessage());
        }
        return register.apply(state.nodeOrNull().served());
    }

    /** Starts watching the epoch key of {@code scope}. */
    void watch(String scope) {
        watch = membership.epochs().watch(scope, this);
    }

    /**
     * The newest epoch the watch has announced, possibly before the node has converged on it; -1 before any. The
     * replicator stops a copy as soon as this moves past the epoch it started under.
     */
    public long newestEpochSeen() {
        return newestEpochSeen.get();
    }

    @Override
    public void close() {
        WatchHandle handle = watch;
        if (handle != null) {
            handle.close();
        }
    }

    private synchronized void selfConverge(String why) {
        ServingNode node = state.nodeOrNull();
        if (node == null || state.stopping()) {
            return;
        }
        ScopeState scope = ScopeState.read(dataSource, node.identity());
        if (scope.epoch() < node.served().epoch()) {
            LOG.warn(
                    "{} serves epoch {} but the database holds the older epoch {}; not converging backwards",
                    node.identity().describe(),
                    node.served().epoch(),
                    scope.epoch());
            return;
        }
        if (scope.memberFenced()) {
            if (!scope.serves(node.served().epoch(), node.served().activeBackendId())) {
                LOG.warn(
                        "{} is fenced (service row in error) and stays on epoch {} (the cluster is at {}) until it"
                                + " restarts or a FailoverCompleted succeeds",
                        node.identity().describe(),
                        node.served().epoch(),
                        scope.epoch());
            }
            return;
        }
        convergeTo(node, scope, why);
    }

    private ServedBackend convergeTo(ServingNode node, ScopeState scope, String why) {
        ServedBackend target = new ServedBackend(scope.epoch(), scope.activeBackendId(), scope.replicationStatus());
        ServedBackend before = node.served();
        if (before.epoch() != target.epoch() || !Objects.equals(before.activeBackendId(), target.activeBackendId())) {
            DriverContext current = node.driverContext();
            DriverContext context = withSites(current, target.activeBackendId(), sites(node));
            if (sameSites(current, context)) {
                DriverCalls.run("failoverCompleted to " + siteName(target.activeBackendId()), () -> node.driver()
                        .failoverCompleted(target.activeBackendId()));
            } else {
                // A promote changed which site is the primary and which are targets: the driver takes the new roles.
                DriverCalls.run("reconfigure for the sites of epoch " + target.epoch(), () -> node.driver()
                        .reconfigure(context));
                LOG.info(
                        "{}: sites now primary {} and targets {}",
                        node.identity().describe(),
                        context.primaryLocation(),
                        context.targets());
            }
            state.converged(target, context);
            LOG.info(
                    "{} converged ({}): epoch {} on {} -> epoch {} on {}",
                    node.identity().describe(),
                    why,
                    before.epoch(),
                    siteName(before.activeBackendId()),
                    target.epoch(),
                    siteName(target.activeBackendId()));
        } else if (!before.equals(target)) {
            state.converged(target, node.driverContext());
        }
        publish(node, target);
        boolean unfenced = Transactions.withConnection(
                dataSource, c -> OwnServiceRow.takeClusterFields(c, node.identity(), target.epoch()));
        if (unfenced) {
            LOG.info(
                    "{}: own service row now carries the cluster's epoch {}",
                    node.identity().describe(),
                    target.epoch());
        }
        return target;
    }

    /** Puts the epoch and site in the member key on the live lease; without one, the next registration does it. */
    private void publish(ServingNode node, ServedBackend served) {
        Registration registration = state.registration().orElse(null);
        if (registration == null) {
            return;
        }
        MemberInfo published = registration.member();
        if (published.epoch() == served.epoch()
                && Objects.equals(published.activeBackendId(), served.activeBackendId())) {
            return;
        }
        try {
            registration.updateServing(served.epoch(), served.activeBackendId()).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof LeaseLostException) {
                LOG.info(
                        "{}: lease lost while publishing epoch {}; the next registration publishes it",
                        node.identity().describe(),
                        served.epoch());
                return;
            }
            if (e.getCause() instanceof TandemException tandem) {
                throw tandem;
            }
            throw e;
        }
    }

    /** The backend's sites as the table holds them now (a promote's commit replaces them). */
    private ReplicationTargetTable.Sites sites(ServingNode node) {
        return new ReplicationTargetTable(dataSource)
                .read(node.identity().scope(), node.driverContext().primaryLocation());
    }

    private static DriverContext withSites(
            DriverContext context, String activeBackendId, ReplicationTargetTable.Sites sites) {
        return new DriverContext(
                context.host(),
                context.backend(),
                activeBackendId,
                sites.primaryLocation(),
                sites.targets(),
                context.options());
    }

    private static boolean sameSites(DriverContext a, DriverContext b) {
        return Objects.equals(a.primaryLocation(), b.primaryLocation())
                && a.targets().equals(b.targets());
    }

    /** The proto and operators name the primary "" or "default"; the database and the driver context use null. */
    static String primaryAsNull(String activeBackendId) {
        return BackendIds.namesPrimary(activeBackendId) ? null : activeBackendId;
    }

    private static String siteName(String activeBackendId) {
        return activeBackendId == null ? "the primary site" : "target " + activeBackendId;
    }
}
