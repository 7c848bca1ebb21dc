package io.tandem.driver.memory;

import io.tandem.driver.CapacityReport;
import io.tandem.driver.ConnectionInfo;
import io.tandem.driver.DriverCapabilities;
import io.tandem.driver.DriverContext;
import io.tandem.driver.DriverException;
import io.tandem.driver.FailoverResult;
import io.tandem.driver.HostReplicationUpdate;
import io.tandem.driver.ReplicationReport;
import io.tandem.driver.VolumeDriver;
import io.tandem.driver.VolumeLocation;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.VolumeSync;
import io.tandem.driver.VolumeUpdate;
import io.tandem.driver.support.ActiveSite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A driver for tests and benchmarks: volumes are entries of an {@link InMemoryBackend} shared by every instance with
 * the same backend name, and every call first runs the backend's {@link Faults} (counted, delayed, held, failed).
 * Tests reach them through {@link #faults(String)} and clear a backend between tests with {@link #reset(String)}.
 *
 * <p>Options ({@code tandem.volume.driver-options.*}), read at {@link #doSetup}, so that a separate volume-svc process
 * can be started slow or failing. {@code <op>} is one of {@code setup, create, delete, extend, initialize-connection,
 * capacity, replicate, failover, failover-completed, freeze, thaw, update-host-replication, reconfigure} ({@link
 * Operation#key()}); durations are {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h} or ISO-8601 ({@code PT2S}).
 *
 * <table>
 *   <caption>Option keys</caption>
 *   <tr><th>key</th><th>value</th><th>effect</th></tr>
 *   <tr><td>{@code capacity-gb}</td><td>GiB</td><td>total capacity (default 1 PiB); creates beyond it fail</td></tr>
 *   <tr><td>{@code delay.<op>}</td><td>duration</td><td>every call waits this long first</td></tr>
 *   <tr><td>{@code fail.<op>.on-call}</td><td>N ≥ 1</td><td>the Nth call fails</td></tr>
 *   <tr><td>{@code fail.<op>.from-call}</td><td>N ≥ 1</td><td>the Nth call and every later one fail</td></tr>
 *   <tr><td>{@code hang.<op>}</td><td>true | false</td><td>every call blocks until released</td></tr>
 *   <tr><td>{@code hang.<op>.timeout}</td><td>duration</td><td>a held call fails after this long (arms the hang)</td></tr>
 *   <tr><td>{@code hang.<op>.release-file}</td><td>path</td><td>the hang is released when this file exists (arms the
 *       hang); how a test releases a driver in another process</td></tr>
 * </table>
 *
 * <p>Calls are counted per backend in this JVM, over all its driver instances, from the last reset; a failure rule
 * counts from when it is armed. Options arm faults on top of those a test armed, and several instances set up with
 * the same options in one JVM do not restart each other's counts. Unknown keys fail {@code doSetup}.
 *
 * <p>Replication, with the shared-filesystem driver's semantics and no data. Every replicated volume counts as copied
 * to every site, whether or not this JVM's map holds it: in a cluster of volume-svc processes each member has its own
 * map and never sees the volumes the others created. {@link #replicate} runs its faults once per call, then reports
 * every replicated volume as synced with zero bytes, stopping between volumes once {@code keepGoing} answers false; it
 * refuses unless this instance serves the primary. {@link #failover} runs its faults once, validates the target as the
 * shared-filesystem driver does ({@link ActiveSite#destination}) and returns per volume {@code failed-over} (or
 * {@code enabled} on failback to {@code default}) with the volume's location, or {@code status = error} for a volume
 * that is not replicated; no per-volume cost, so benchmarks measure the control plane. {@link #failoverCompleted}
 * switches the site this instance reports in connection info.
 *
 * <p>Promote, with the same semantics. {@link #reconfigure} runs its faults, then takes the new context's sites (the
 * site it makes active is what connection info reports from then on); the backend itself, named by the context, must
 * stay the same. {@link #updateHostReplication} runs its faults, then: with an active backend id (a node serving a
 * target) it reports the status it was given and no updates; else, once this instance serves the primary, it reports
 * {@code enabled} when the context has targets ({@code disabled} without) and per volume that replication status
 * with the volume's location, which names no site and so stays what it was. Every volume is reported, for the reason
 * replication reports them all; none goes to {@code error}.
 */
public final class InMemoryDriver implements VolumeDriver {
    /** The name {@link io.tandem.driver.DriverFactory} and configuration know this driver by. */
    public static final String NAME = "in-memory";
    /** Option: total capacity in GiB. */
    public static final String OPTION_CAPACITY_GB = "capacity-gb";

    /** The context and the site it makes active; one reference, so a reconfigure switches both in one write. */
    private record Serving(DriverContext context, ActiveSite site) {}

    private volatile InMemoryBackend backend;
    private volatile Serving serving;

    /** The faults of backend {@code backend}, for tests. */
    public static Faults faults(String backend) {
        return InMemoryBackend.named(backend).faults();
    }

    /** Empties backend {@code backend} (see {@link InMemoryBackend#reset}). */
    public static void reset(String backend) {
        InMemoryBackend.reset(backend);
    }

    @Override
    public DriverCapabilities capabilities() {
        return new DriverCapabilities(NAME, true, true, true);
    }

    @Override
    public void doSetup(DriverContext context) {
        InMemoryBackend shared = InMemoryBackend.named(context.backend());
        applyOptions(shared, context.options());
        shared.faults().enter(Operation.SETUP, null);
        serving = new Serving(context, ActiveSite.resolve(context));
        backend = shared;
    }

    @Override
    public VolumeLocation createVolume(VolumeSpec volume) {
        InMemoryBackend shared = enter(Operation.CREATE, volume);
        shared.create(volume.id(), positive(volume.id(), volume.sizeGb()));
        return new VolumeLocation(location(shared, volume.id()));
    }

    @Override
    public void deleteVolume(VolumeSpec volume) {
        enter(Operation.DELETE, volume).delete(volume.id());
    }

    @Override
    public void extendVolume(VolumeSpec volume, int newSizeGb) {
        enter(Operation.EXTEND, volume).extend(volume.id(), positive(volume.id(), newSizeGb));
    }

    @Override
    public ConnectionInfo initializeConnection(VolumeSpec volume) {
        InMemoryBackend shared = enter(Operation.INITIALIZE_CONNECTION, volume);
        if (!shared.exists(volume.id())) {
            throw new DriverException(
                    "Volume " + volume.id() + " does not exist on in-memory backend " + shared.name());
        }
        return new ConnectionInfo(
                "memory",
                Map.of(
                        "backend",
                        shared.name(),
                        "volume",
                        volume.id(),
                        "site",
                        serving.site().name()));
    }

    @Override
    public CapacityReport capacity() {
        InMemoryBackend shared = enter(Operation.CAPACITY, null);
        return new CapacityReport(shared.totalBytes(), shared.freeBytes());
    }

    @Override
    public ReplicationReport replicate(List<VolumeSpec> volumes, BooleanSupplier keepGoing) {
        enter(Operation.REPLICATE, null);
        ActiveSite current = serving.site();
        if (!current.primary()) {
            throw new DriverException("Replication runs from the primary site only; this node serves site '"
                    + current.name() + "' (fail back first)");
        }
        Instant now = Instant.now();
        List<VolumeSync> synced = new ArrayList<>();
        for (VolumeSpec volume : volumes) {
            if (!keepGoing.getAsBoolean()) {
                break;
            }
            if (!volume.replicated()) {
                continue;
            }
            synced.add(new VolumeSync(volume.id(), 0, now));
        }
        return new ReplicationReport(synced, List.of());
    }

    @Override
    public FailoverResult failover(List<VolumeSpec> volumes, String secondaryId) {
        InMemoryBackend shared = enter(Operation.FAILOVER, null);
        Serving current = serving;
        ActiveSite destination = ActiveSite.destination(current.context(), current.site(), secondaryId);
        String replicationStatus =
                destination.primary() ? VolumeUpdate.REPLICATION_ENABLED : VolumeUpdate.REPLICATION_FAILED_OVER;
        List<VolumeUpdate> updates = new ArrayList<>(volumes.size());
        for (VolumeSpec volume : volumes) {
            updates.add(
                    volume.replicated()
                            ? new VolumeUpdate(volume.id(), null, replicationStatus, location(shared, volume.id()))
                            : new VolumeUpdate(volume.id(), VolumeUpdate.STATUS_ERROR, null, null));
        }
        return new FailoverResult(destination.backendId(), updates);
    }

    @Override
    public void failoverCompleted(String activeBackendId) {
        enter(Operation.FAILOVER_COMPLETED, null);
        DriverContext context = serving.context();
        serving = new Serving(context, ActiveSite.named(context, activeBackendId));
    }

    @Override
    public void freezeBackend() {
        enter(Operation.FREEZE, null);
    }

    @Override
    public void thawBackend() {
        enter(Operation.THAW, null);
    }

    @Override
    public HostReplicationUpdate updateHostReplication(
            String replicationStatus, String activeBackendId, List<VolumeSpec> volumes) {
        InMemoryBackend shared = enter(Operation.UPDATE_HOST_REPLICATION, null);
        if (!ActiveSite.namesPrimary(activeBackendId)) {
            return new HostReplicationUpdate(replicationStatus, activeBackendId, List.of());
        }
        Serving current = serving;
        if (!current.site().primary()) {
            throw new DriverException("Cannot update replication as the primary: this node serves site '"
                    + current.site().name() + "'; reconfigure it with the new primary first");
        }
        String status = current.context().targets().isEmpty()
                ? VolumeUpdate.REPLICATION_DISABLED
                : VolumeUpdate.REPLICATION_ENABLED;
        List<VolumeUpdate> updates = new ArrayList<>(volumes.size());
        for (VolumeSpec volume : volumes) {
            updates.add(new VolumeUpdate(volume.id(), null, status, location(shared, volume.id())));
        }
        return new HostReplicationUpdate(status, null, updates);
    }

    /**
     * Takes the sites of {@code context} from now on, after running the faults (a failed or timed-out call changes
     * nothing). The options are not read again: they were armed at {@link #doSetup} and stay armed.
     *
     * @throws DriverException when the context names another backend or an active backend id that is not a target
     */
    @Override
    public void reconfigure(DriverContext context) {
        InMemoryBackend shared = enter(Operation.RECONFIGURE, null);
        if (!shared.name().equals(context.backend())) {
            throw new DriverException("Cannot reconfigure in-memory backend " + shared.name() + " as backend '"
                    + context.backend() + "': a reconfigure changes the roles of sites, not the backend");
        }
        serving = new Serving(context, ActiveSite.resolve(context));
    }

    /** The backend this instance serves (after {@link #doSetup}). */
    public InMemoryBackend backend() {
        return setUp();
    }

    /** The active backend id this instance was set up with; null for the primary. */
    public String activeBackendId() {
        setUp();
        return serving.site().backendId();
    }

    private static String location(InMemoryBackend shared, String volumeId) {
        return "memory://" + shared.name() + "/" + volumeId;
    }

    private InMemoryBackend enter(Operation operation, VolumeSpec volume) {
        InMemoryBackend shared = setUp();
        shared.faults().enter(operation, volume == null ? null : volume.id());
        return shared;
    }

    private InMemoryBackend setUp() {
        InMemoryBackend shared = backend;
        if (shared == null) {
            throw new DriverException("The in-memory driver is not set up; doSetup must run first");
        }
        return shared;
    }

    private static void applyOptions(InMemoryBackend shared, Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!key.equals(OPTION_CAPACITY_GB) && !FaultOptions.isFaultKey(key)) {
                throw new DriverException(
                        "Unknown in-memory driver option '" + key + "'; expected " + OPTION_CAPACITY_GB
                                + ", delay.<op>, fail.<op>.on-call, fail.<op>.from-call, hang.<op>[.timeout|.release-file]");
            }
        }
        FaultOptions faults = FaultOptions.parse(options);
        String capacity = options.get(OPTION_CAPACITY_GB);
        if (capacity != null) {
            shared.capacityGb(capacityGb(capacity));
        }
        faults.applyTo(shared.faults());
    }

    private static long capacityGb(String value) {
        try {
            long gb = Long.parseLong(value.trim());
            if (gb >= 0) {
                return gb;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DriverException("In-memory driver option " + OPTION_CAPACITY_GB + "=" + value
                + ": expected a number of GiB, 0 or more");
    }

    private static int positive(String volumeId, int sizeGb) {
        if (sizeGb <= 0) {
            throw new DriverException("Volume " + volumeId + " must be at least 1 GiB, not " + sizeGb);
        }
        return sizeGb;
    }
}
