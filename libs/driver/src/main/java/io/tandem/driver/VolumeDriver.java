package io.tandem.driver;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The storage driver SPI: everything a volume node asks of the storage backend it runs. Modelled on Cinder's volume
 * driver (replication v2.1 and Active/Active), with typed values instead of dictionaries.
 *
 * <p>Rules every driver follows:
 *
 * <ul>
 *   <li><b>Idempotent.</b> Creating a volume that exists (same id, same size) succeeds; deleting a missing one succeeds;
 *       extending to the current size succeeds. Nodes retry after crashes and several nodes of one cluster may clean
 *       up after each other, so a repeated call must never fail or do the work twice.
 *   <li><b>Shared backend.</b> Every node of a cluster runs its own driver instance against the same backend; the
 *       control plane (workers rows, compare-and-swap) guarantees that two nodes never run a management operation on
 *       the same volume at once. A driver holds no cross-volume state that another node's instance could not see.
 *   <li><b>Errors.</b> A failed operation throws {@link DriverException} with a message for operators; an invalid
 *       replication target throws {@link InvalidReplicationTargetException}. Nothing else is thrown on purpose.
 * </ul>
 *
 * <p>The replication methods ({@link #failover}, {@link #failoverCompleted}, {@link #updateHostReplication}) are
 * declared here so that the SPI is stable; drivers that cannot replicate keep the defaults, which refuse.
 */
public interface VolumeDriver extends AutoCloseable {

    /** What this driver can do; read before {@link #doSetup} (the node refuses to start on a mismatch). */
    DriverCapabilities capabilities();

    /**
     * Prepares the driver to serve {@code context.activeBackendId()} (null = the primary site). Called once, after the
     * node has read the cluster row, so a node that was down during a failover starts on the right site.
     */
    void doSetup(DriverContext context);

    /** Creates the volume on the active site and returns where it lives. */
    VolumeLocation createVolume(VolumeSpec volume);

    /** Deletes the volume from the active site; a missing volume is not an error. */
    void deleteVolume(VolumeSpec volume);

    /** Grows the volume to {@code newSizeGb}, which is at least its current size. */
    void extendVolume(VolumeSpec volume, int newSizeGb);

    /** How a consumer reaches the volume on the active site. */
    ConnectionInfo initializeConnection(VolumeSpec volume);

    /** Capacity of the active site, published in etcd for the scheduler. */
    CapacityReport capacity();

    /**
     * Promotes {@code secondaryId}'s copies of {@code volumes} (or, for {@code "default"}, fails back to the primary
     * after resyncing). Does not switch this node's data path: that is {@link #failoverCompleted}, run on every member.
     * Idempotent: a retry after a crash promotes nothing twice.
     */
    default FailoverResult failover(List<VolumeSpec> volumes, String secondaryId) {
        throw new DriverException(getClass().getSimpleName() + " does not support replication failover");
    }

    /** Switches this node's data path to {@code activeBackendId} (null = the primary). */
    default void failoverCompleted(String activeBackendId) {
        throw new DriverException(getClass().getSimpleName() + " does not support replication failover");
    }

    /** Failover of a non-clustered backend: the promote and the switch in one call, as Cinder's failover_host. */
    default FailoverResult failoverHost(List<VolumeSpec> volumes, String secondaryId) {
        FailoverResult result = failover(volumes, secondaryId);
        failoverCompleted(result.activeBackendId());
        return result;
    }

    /**
     * Copies what changed in {@code volumes} (all replicated) from the active site to every replication target. Run
     * by the one member holding the backend's replicator key, on an interval, and only while the active site is the
     * primary. Stops early, between volumes, once {@code keepGoing} answers false (lease lost, new epoch). A volume
     * that cannot be copied is reported in {@link ReplicationReport#failed()}, not thrown.
     */
    default ReplicationReport replicate(List<VolumeSpec> volumes, BooleanSupplier keepGoing) {
        return ReplicationReport.none();
    }

    /** Tells the backend that management operations stop (Cinder's freeze_backend); most backends need nothing. */
    default void freezeBackend() {}

    /** Tells the backend that management operations resume; a failure leaves the cluster frozen. */
    default void thawBackend() {}

    /**
     * Reconciles the storage with the sites the driver is set up with, after an administrator changed which site is
     * the primary or which sites are targets (Cinder's proposed {@code update_host_replication}; Tandem has no groups,
     * so none are passed). Called by exactly one member of a backend: at start after {@link #doSetup} when the
     * backend's replication status asks for it (after {@code tandem-manage db reset-active-backend}), or online after
     * {@link #reconfigure} for a promote. The driver makes the active site's volumes the primary ones, prepares every
     * target for a full initial copy (the next {@link #replicate} cycles make it), and reports the backend's new
     * replication status ({@code enabled} with targets, {@code disabled} without) and one update per volume. Nothing
     * else changes until the control plane commits the result; idempotent, since a member that dies during it is
     * taken over and the call repeated.
     *
     * @param replicationStatus the backend's replication status before the update (as the reset left it, or
     *     {@code updating} when a dead member's update is taken over)
     * @param activeBackendId the site being served: null (the primary) after a reset or during a promote; a target's
     *     id means nothing was reset or promoted, and the reference drivers then change nothing and return the status
     *     they were given with no volume updates
     * @param volumes every volume of the backend
     * @throws DriverException when the storage cannot be reconciled (e.g. a target's directory is missing)
     */
    default HostReplicationUpdate updateHostReplication(
            String replicationStatus, String activeBackendId, List<VolumeSpec> volumes) {
        throw new DriverException(getClass().getSimpleName() + " does not support replication updates");
    }

    /**
     * Serves the sites of {@code context} from now on: the backend's sites changed roles (a promote made the active
     * site the primary and set new targets). Called on the member that runs the online {@link #updateHostReplication}
     * before it, and on every member once the promote is committed. A copy in flight stops; operations keep working
     * (the active site's data path does not move, only its role). The default sets the driver up again.
     */
    default void reconfigure(DriverContext context) {
        doSetup(context);
    }

    /** Releases what the driver holds (threads, handles); the node calls it on shutdown. */
    @Override
    default void close() {}
}
