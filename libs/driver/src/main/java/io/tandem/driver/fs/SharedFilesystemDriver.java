package io.tandem.driver.fs;

import io.tandem.driver.CapacityReport;
import io.tandem.driver.ConnectionInfo;
import io.tandem.driver.DriverCapabilities;
import io.tandem.driver.DriverContext;
import io.tandem.driver.DriverException;
import io.tandem.driver.FailoverResult;
import io.tandem.driver.HostReplicationUpdate;
import io.tandem.driver.InvalidReplicationTargetException;
import io.tandem.driver.ReplicationReport;
import io.tandem.driver.VolumeDriver;
import io.tandem.driver.VolumeLocation;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.fs.replication.BackendSites;
import io.tandem.driver.fs.replication.ExtentReplicator;
import io.tandem.driver.fs.replication.HostReplication;
import io.tandem.driver.fs.replication.ReplicationCycle;
import io.tandem.driver.fs.replication.SiteFailover;
import io.tandem.driver.support.ActiveSite;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference driver: a site is a directory that every node of the cluster sees (an NFS mount in production, a
 * local directory in tests and {@code make run}), and a volume is a sparse file in it, laid out as {@link SiteLayout}
 * describes. The primary site is {@link DriverContext#primaryLocation()}; a replication target's site is its {@code
 * location}; the node serves the one {@link DriverContext#activeBackendId()} names.
 *
 * <p>The driver keeps no state besides the site it serves: every fact about a volume is its file, so any number of
 * instances on any number of nodes can share a site, and a node that restarts knows everything at once. Every
 * operation is idempotent and safe to race (see {@link SparseFiles}).
 *
 * <p>Connection info: {@code driverVolumeType = "file"}, data {@code path} (the file's absolute path) and {@code site}
 * (the active backend id, or {@code default}). The provider location is the same absolute path.
 *
 * <p>Replication: every replicated volume's file on the primary site is copied, changed extents only and holes kept
 * ({@link ExtentReplicator}), to the same layout path on every target site, {@code <target>/volumes/volume-<uuid>},
 * by {@link #replicate} (run by the one member holding the replicator key, only while the primary is active). A
 * volume that cannot be copied (its file or a target directory missing, an I/O error) is a failure entry of the
 * report; a missing target directory is never created. A copy stops between extents once this node's data path
 * changes or a failover begins here, and between volumes (and at most every {@value
 * ReplicationCycle#ASK_EVERY_MILLIS} ms within one) once the caller's keep-going check answers false.
 *
 * <p>Failover ({@link #failover}, {@link SiteFailover}): to target T, each replicated volume gets one last
 * incremental sync from the active site if that site and the file are still there (a planned failover loses
 * nothing; a lost site is skipped and T's copies are used as they are), then T's copy is promoted: update {@code
 * replication_status = failed-over}, {@code provider_location} = its path on T; a volume without a copy on T, or not
 * replicated, goes to {@code status = error}. Failback ({@code "default"}) resyncs every replicated volume from the
 * active target back to the primary, then returns {@code replication_status = enabled} with the primary's path.
 * Neither moves this node's data path: {@link #failoverCompleted} does, on every member, after checking that the
 * site's directory is there and writable. All three are idempotent; a repeated failover copies nothing new.
 *
 * <p>Promote (A → B → C): after a failover to B, the operator makes B the primary with target C. {@link #reconfigure}
 * serves the new roles (B's directory is the primary's now, so the data path does not move); {@link
 * #updateHostReplication} ({@link HostReplication}) reports B's files as the primary volumes and forgets the sync
 * metadata on every site, so the next {@link #replicate} compares every copy on C in full.
 */
public final class SharedFilesystemDriver implements VolumeDriver {
    /** The name {@link io.tandem.driver.DriverFactory} and configuration know this driver by. */
    public static final String NAME = "shared-filesystem";

    private static final Logger LOG = LoggerFactory.getLogger(SharedFilesystemDriver.class);
    private static final long GIB = 1L << 30;

    /**
     * The backend's sites and the one being served; one reference, so that failoverCompleted and reconfigure switch
     * in one write and an operation never mixes the site it serves with the roles of another configuration.
     */
    private record Serving(BackendSites sites, ActiveSite site, SiteLayout layout) {}

    private final ExtentReplicator replicator = new ExtentReplicator();
    // Held while a volume is copied and for a whole failover, so that this node never runs two syncs of one volume.
    private final ReentrantLock copies = new ReentrantLock(true);
    // Bumped when a failover begins or the data path moves: a replication cycle that started before stops.
    private final AtomicLong generation = new AtomicLong();
    private final ReplicationCycle cycle = new ReplicationCycle(replicator, Clock.systemUTC(), copies);
    private final SiteFailover failovers = new SiteFailover(replicator);
    private final HostReplication hostReplication = new HostReplication(replicator);

    private volatile Serving serving;

    @Override
    public DriverCapabilities capabilities() {
        return new DriverCapabilities(NAME, true, true, true);
    }

    /**
     * Checks that the active site's directory exists and is writable (by creating {@code volumes/} if needed and a
     * probe file in it) before the node announces itself: a node that cannot write its site must not take work.
     */
    @Override
    public void doSetup(DriverContext context) {
        Serving next = open(BackendSites.of(context), ActiveSite.resolve(context));
        serve(next);
        LOG.info(
                "Host {} serves site '{}' at {}",
                context.host(),
                next.site().name(),
                next.layout().root());
    }

    @Override
    public VolumeLocation createVolume(VolumeSpec volume) {
        Path file = serving().layout().volumeFile(volume.id());
        try {
            boolean created = SparseFiles.createOrGrow(file, bytes(volume.id(), volume.sizeGb()));
            LOG.debug(
                    "Volume {} ({} GiB) {} at {}", volume.id(), volume.sizeGb(), created ? "created" : "exists", file);
        } catch (IOException e) {
            throw failure("create", volume.id(), file, e);
        }
        return new VolumeLocation(file.toString());
    }

    /**
     * Deletes the volume's file on the active site and, for a replicated volume, its copies (and their sync metadata)
     * on the other sites whose directories are there; a copy that cannot be removed is logged and left behind.
     */
    @Override
    public void deleteVolume(VolumeSpec volume) {
        Serving current = serving();
        Path file = current.layout().volumeFile(volume.id());
        try {
            boolean deleted = SparseFiles.delete(file);
            LOG.debug("Volume {} {} at {}", volume.id(), deleted ? "deleted" : "already absent", file);
        } catch (IOException e) {
            throw failure("delete", volume.id(), file, e);
        }
        if (volume.replicated()) {
            for (ActiveSite other : current.sites().allBut(current.site())) {
                forgetCopy(other, volume.id());
            }
        }
    }

    @Override
    public void extendVolume(VolumeSpec volume, int newSizeGb) {
        Path file = serving().layout().volumeFile(volume.id());
        try {
            SparseFiles.grow(file, bytes(volume.id(), newSizeGb));
            LOG.debug("Volume {} extended to {} GiB at {}", volume.id(), newSizeGb, file);
        } catch (IOException e) {
            throw failure("extend", volume.id(), file, e);
        }
    }

    @Override
    public ConnectionInfo initializeConnection(VolumeSpec volume) {
        Serving current = serving();
        Path file = current.layout().volumeFile(volume.id());
        // Attaching a file that is not there would only fail later, in the consumer, with a worse message.
        if (!Files.isRegularFile(file)) {
            throw new DriverException("Volume " + volume.id() + " has no file " + file + " on site '"
                    + current.site().name() + "'");
        }
        return new ConnectionInfo(
                "file", Map.of("path", file.toString(), "site", current.site().name()));
    }

    /** Total and usable bytes of the filesystem holding the active site (usable: what this process may allocate). */
    @Override
    public CapacityReport capacity() {
        Serving current = serving();
        try {
            FileStore store = Files.getFileStore(current.layout().volumesDir());
            return new CapacityReport(store.getTotalSpace(), store.getUsableSpace());
        } catch (IOException e) {
            throw new DriverException(
                    "Cannot read the capacity of site '" + current.site().name() + "' at "
                            + current.layout().root() + ": " + e,
                    e);
        }
    }

    /**
     * Copies the changes of the replicated {@code volumes} from the primary site to every target; see the class
     * comment.
     *
     * @throws DriverException when this node does not serve the primary (replication runs primary to targets only)
     */
    @Override
    public ReplicationReport replicate(List<VolumeSpec> volumes, BooleanSupplier keepGoing) {
        long started = generation.get();
        Serving current = serving();
        if (!current.site().primary()) {
            throw new DriverException("Replication runs from the primary site only; this node serves site '"
                    + current.site().name() + "' (fail back first)");
        }
        return cycle.run(
                current.layout(), current.sites().targets(), volumes, keepGoing, () -> generation.get() == started);
    }

    /**
     * Promotes {@code secondaryId}'s copies, or fails back for {@code default}; see the class comment.
     *
     * @throws InvalidReplicationTargetException for an unknown id, {@code default} while serving the primary, or the
     *     site already served
     * @throws DriverException when the destination's directory is missing, or a failback's resync fails
     */
    @Override
    public FailoverResult failover(List<VolumeSpec> volumes, String secondaryId) {
        Serving current = serving();
        ActiveSite destination = current.sites().destination(current.site(), secondaryId);
        generation.incrementAndGet(); // a replication cycle running here stops at its next extent
        copies.lock();
        try {
            return destination.primary()
                    ? failovers.failback(current.site(), destination, volumes).result()
                    : failovers.failover(current.site(), destination, volumes).result();
        } finally {
            copies.unlock();
        }
    }

    /**
     * Serves {@code activeBackendId} (null or {@code default}: the primary) from now on, once its directory proved
     * writable; a copy in flight on this node is stopped first. Serving that site already is fine.
     */
    @Override
    public void failoverCompleted(String activeBackendId) {
        BackendSites sites = serving().sites();
        Serving next = open(sites, sites.site(activeBackendId));
        Serving previous = serve(next);
        if (!previous.site().name().equals(next.site().name())) {
            logMove(previous, next);
        }
    }

    /**
     * Serves the sites of {@code context} from now on, once the site it makes active proved writable (nothing changes
     * otherwise); a copy in flight on this node is stopped first. In a promote the active site's directory is the same
     * before and after (B served as a target is B served as the primary), so operations running meanwhile keep
     * working on the same files. Target directories are not checked here but when they are used ({@link
     * #updateHostReplication}, {@link #replicate}). Repeating it is fine; before {@link #doSetup} it sets up.
     */
    @Override
    public void reconfigure(DriverContext context) {
        Serving next = open(BackendSites.of(context), ActiveSite.resolve(context));
        Serving previous = serve(next);
        if (previous == null || !previous.sites().sameRolesAs(next.sites())) {
            LOG.info(
                    "Host {} serves site '{}' at {}; sites {} (were {})",
                    context.host(),
                    next.site().name(),
                    next.layout().root(),
                    next.sites(),
                    previous == null ? "not set up" : previous.sites());
        } else if (!previous.layout().root().equals(next.layout().root())) {
            logMove(previous, next);
        }
    }

    private static void logMove(Serving previous, Serving next) {
        LOG.info(
                "Data path moved from site '{}' to site '{}' at {}",
                previous.site().name(),
                next.site().name(),
                next.layout().root());
    }

    /**
     * Makes the served primary's files the backend's volumes and prepares every target for a full initial sync; see
     * {@link HostReplication}. With an active backend id (this node serves a target; nothing was reset or promoted)
     * it changes nothing and reports nothing. A copy in flight on this node is stopped first, and none runs while the
     * sync metadata is forgotten, so no copy can write metadata from before the update after it.
     *
     * @throws DriverException when this node does not serve the primary, a site's directory is missing (nothing is
     *     changed then), or sync metadata cannot be removed
     */
    @Override
    public HostReplicationUpdate updateHostReplication(
            String replicationStatus, String activeBackendId, List<VolumeSpec> volumes) {
        serving();
        if (!ActiveSite.namesPrimary(activeBackendId)) {
            return new HostReplicationUpdate(replicationStatus, activeBackendId, List.of());
        }
        generation.incrementAndGet(); // a replication cycle running here stops at its next extent
        copies.lock();
        try {
            // Read under the lock, which a reconfigure takes to switch: the roles used are the ones served throughout.
            Serving current = serving();
            if (!current.site().primary()) {
                throw new DriverException("Cannot update replication as the primary: this node serves site '"
                        + current.site().name() + "'; reconfigure it with the new primary first");
            }
            return hostReplication.update(current.site(), current.sites().targets(), volumes);
        } finally {
            copies.unlock();
        }
    }

    /** Nothing to tell a directory; freezing is the control plane's. */
    @Override
    public void freezeBackend() {
        serving();
    }

    /** Checks that the active site's directory is still there, so that a cluster does not thaw onto a lost site. */
    @Override
    public void thawBackend() {
        Serving current = serving();
        if (!BackendSites.reachable(current.layout())) {
            throw new DriverException("Cannot thaw: " + BackendSites.missing(current.site(), current.layout()));
        }
    }

    /** The layout of the site being served; for tests. */
    public SiteLayout layout() {
        return serving().layout();
    }

    /**
     * The site's layout once its directory proved to exist and be writable (by creating {@code volumes/} if needed and
     * a probe file in it): a node that cannot write its site must not take work.
     */
    private static Serving open(BackendSites sites, ActiveSite site) {
        SiteLayout layout = BackendSites.layout(site);
        if (!BackendSites.reachable(layout)) {
            throw new DriverException(BackendSites.missing(site, layout));
        }
        try {
            Files.createDirectories(layout.volumesDir());
            Path probe = Files.createTempFile(layout.volumesDir(), ".probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new DriverException(
                    "Site directory " + layout.root() + " of site '" + site.name() + "' is not writable: " + e, e);
        }
        return new Serving(sites, site, layout);
    }

    /**
     * Switches to {@code next}: a copy in flight is stopped, so that the lock comes quickly, and the switch happens
     * under it, so that no copy runs across it.
     *
     * @return what was served before; null before setup
     */
    private Serving serve(Serving next) {
        generation.incrementAndGet();
        copies.lock();
        try {
            Serving previous = serving;
            serving = next;
            generation.incrementAndGet(); // and a cycle that read the old site after the first bump stops too
            return previous;
        } finally {
            copies.unlock();
        }
    }

    private void forgetCopy(ActiveSite site, String volumeId) {
        try {
            SiteLayout layout = BackendSites.layout(site);
            if (BackendSites.reachable(layout)) {
                replicator.forget(layout.root(), volumeId);
            }
        } catch (IOException | DriverException e) {
            LOG.warn(
                    "Volume {} is deleted but its copy on site '{}' could not be removed: {}",
                    volumeId,
                    site.name(),
                    e.toString());
        }
    }

    private Serving serving() {
        Serving current = serving;
        if (current == null) {
            throw new DriverException("The shared-filesystem driver is not set up; doSetup must run first");
        }
        return current;
    }

    private static long bytes(String volumeId, int sizeGb) {
        if (sizeGb <= 0) {
            throw new DriverException("Volume " + volumeId + " must be at least 1 GiB, not " + sizeGb);
        }
        return sizeGb * GIB;
    }

    private static DriverException failure(String operation, String volumeId, Path file, IOException e) {
        return new DriverException("Cannot " + operation + " volume " + volumeId + " at " + file + ": " + e, e);
    }
}
