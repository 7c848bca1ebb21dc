package io.tandem.driver.fs.replication;

import io.tandem.driver.DriverException;
import io.tandem.driver.ReplicationReport;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.VolumeSync;
import io.tandem.driver.VolumeSyncFailure;
import io.tandem.driver.fs.SiteLayout;
import io.tandem.driver.support.ActiveSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replication cycle of the shared-filesystem driver: each replicated volume's file on the active site is brought
 * up to date, changed extents only ({@link ExtentReplicator}), at the same layout path on every target site ({@code
 * <target>/volumes/volume-<uuid>}), one volume after the other.
 *
 * <p>A volume is synced when every target holds its copy; otherwise it is a failure entry naming each target that
 * could not be written (a missing target directory is reported, never created: it is an unmounted share or a lost
 * site), while the targets that could be written are still brought up to date. Its sync time is taken when its copy
 * began, so it never claims data that was written during the copy.
 *
 * <p>The caller's keep-going check is asked before each volume and at most every {@value #ASK_EVERY_MILLIS} ms during
 * a copy; the driver's own check (its data path unchanged, no failover begun on this node) before every extent. A
 * volume whose copy is cut short is in neither list of the report, nor are the volumes after it.
 */
public final class ReplicationCycle {
    /** How often, at most, the caller's keep-going check is asked while a volume is being copied. */
    public static final long ASK_EVERY_MILLIS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationCycle.class);

    private final ExtentReplicator replicator;
    private final Clock clock;
    private final Lock copies;

    /**
     * @param copies held while one volume is copied, so that a failover on this node never overlaps a copy
     */
    public ReplicationCycle(ExtentReplicator replicator, Clock clock, Lock copies) {
        this.replicator = replicator;
        this.clock = clock;
        this.copies = copies;
    }

    /** A target of this cycle: its layout, or why it has none (no or an invalid directory configured). */
    private record Target(ActiveSite site, SiteLayout layout, String error) {
        static Target of(ActiveSite site) {
            try {
                return new Target(site, BackendSites.layout(site), null);
            } catch (DriverException e) {
                return new Target(site, null, e.getMessage());
            }
        }
    }

    /**
     * Copies {@code volumes} (those not replicated are skipped) from {@code source} to {@code targets}.
     *
     * @param keepGoing the caller's check (lease held, epoch unchanged)
     * @param unchanged the driver's own check, cheap enough for every extent
     */
    public ReplicationReport run(
            SiteLayout source,
            List<ActiveSite> targets,
            List<VolumeSpec> volumes,
            BooleanSupplier keepGoing,
            BooleanSupplier unchanged) {
        List<Target> resolved = targets.stream().map(Target::of).toList();
        List<VolumeSync> synced = new ArrayList<>();
        List<VolumeSyncFailure> failed = new ArrayList<>();
        BooleanSupplier duringCopy = duringCopy(keepGoing, unchanged);
        int stoppedAt = -1;
        for (int i = 0; i < volumes.size() && stoppedAt < 0; i++) {
            VolumeSpec volume = volumes.get(i);
            // Checked under the lock: a data path switch (which takes it) is then either seen here or comes after.
            copies.lock();
            try {
                if (!unchanged.getAsBoolean() || !keepGoing.getAsBoolean()) {
                    stoppedAt = i;
                } else if (volume.replicated() && !copy(source, resolved, volume, duringCopy, synced, failed)) {
                    stoppedAt = i;
                }
            } finally {
                copies.unlock();
            }
        }
        ReplicationReport report = new ReplicationReport(synced, failed);
        log(volumes.size(), stoppedAt, report);
        return report;
    }

    /** @return false when the copy was stopped by a keep-going check */
    private boolean copy(
            SiteLayout source,
            List<Target> targets,
            VolumeSpec volume,
            BooleanSupplier keepGoing,
            List<VolumeSync> synced,
            List<VolumeSyncFailure> failed) {
        Instant started = clock.instant();
        Path from;
        try {
            from = source.volumeFile(volume.id());
        } catch (DriverException e) {
            failed.add(new VolumeSyncFailure(volume.id(), e.getMessage()));
            return true;
        }
        if (!Files.isRegularFile(from)) {
            failed.add(new VolumeSyncFailure(
                    volume.id(), "Volume " + volume.id() + " has no file " + from + " on the active site"));
            return true;
        }
        long bytes = 0;
        List<String> problems = new ArrayList<>();
        for (Target target : targets) {
            if (target.error() != null) {
                problems.add(target.error());
                continue;
            }
            if (!BackendSites.reachable(target.layout())) {
                problems.add(BackendSites.missing(target.site(), target.layout()));
                continue;
            }
            Path to = target.layout().volumeFile(volume.id());
            try {
                bytes += replicator.sync(from, to, keepGoing).bytesCopied();
            } catch (SyncStoppedException e) {
                LOG.debug("Replication stopped: {}", e.getMessage());
                return false;
            } catch (IOException | RuntimeException e) {
                problems.add("cannot copy to site '" + target.site().name() + "' at " + to + ": " + e);
            }
        }
        if (problems.isEmpty()) {
            synced.add(new VolumeSync(volume.id(), bytes, started));
        } else {
            failed.add(new VolumeSyncFailure(
                    volume.id(),
                    "Volume " + volume.id() + " is not replicated to every target: " + String.join("; ", problems)));
        }
        return true;
    }

    /**
     * The check used during a copy: the driver's own every time, the caller's at most every {@link #ASK_EVERY_MILLIS}
     * (it may read shared state, and a 1 TiB volume has a million extents).
     */
    private static BooleanSupplier duringCopy(BooleanSupplier keepGoing, BooleanSupplier unchanged) {
        long every = TimeUnit.MILLISECONDS.toNanos(ASK_EVERY_MILLIS);
        long[] lastAsked = {System.nanoTime()};
        return () -> {
            if (!unchanged.getAsBoolean()) {
                return false;
            }
            long now = System.nanoTime();
            if (now - lastAsked[0] < every) {
                return true;
            }
            lastAsked[0] = now;
            return keepGoing.getAsBoolean();
        };
    }

    /** One line per cycle, so that a target that is down does not log once per volume every interval. */
    private static void log(int volumes, int stoppedAt, ReplicationReport report) {
        String stopped = stoppedAt < 0 ? "" : ", stopped at volume " + (stoppedAt + 1) + " of " + volumes;
        if (report.failed().isEmpty()) {
            LOG.debug(
                    "Replicated {} volumes, {} bytes copied{}", report.synced().size(), report.bytesCopied(), stopped);
        } else {
            LOG.warn(
                    "Replicated {} volumes, {} bytes copied, {} failed{}; first failure: {}",
                    report.synced().size(),
                    report.bytesCopied(),
                    report.failed().size(),
                    stopped,
                    report.failed().get(0).message());
        }
    }
}
