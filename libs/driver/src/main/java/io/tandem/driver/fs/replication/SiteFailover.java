package io.tandem.driver.fs.replication;

import io.tandem.driver.DriverException;
import io.tandem.driver.FailoverResult;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.VolumeUpdate;
import io.tandem.driver.fs.SiteLayout;
import io.tandem.driver.support.ActiveSite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage side of a failover of the shared-filesystem driver: promoting a target site's copies, or failing back
 * to the primary after resyncing it. It moves no data path (that is {@code failoverCompleted}) and changes nothing
 * but files, so it can be repeated: a second call finds every copy up to date and copies nothing.
 *
 * <p>Per volume, in order:
 *
 * <ol>
 *   <li>Not replicated: update {@code status = error} (Cinder's rule, both ways), nothing copied.
 *   <li>The site being left is reachable and holds the file: one last incremental sync to the destination, so a
 *       planned failover loses nothing. If that sync fails, a failover promotes the copy as the last replication left
 *       it (the site being left is likely broken, and refusing would block the recovery), while a failback fails as
 *       a whole with a {@link DriverException} (the target still holds the data; a retry resumes incrementally).
 *   <li>The destination holds the volume's file: update {@code replication_status = failed-over} (failover) or
 *       {@code enabled} (failback) and {@code provider_location} = the file's path there; otherwise {@code status =
 *       error}.
 * </ol>
 *
 * <p>A destination whose directory is missing fails the whole call, naming the directory. A site being left whose
 * directory is missing (the site is lost) is the disaster case: its copies are used as they are.
 */
public final class SiteFailover {
    private static final Logger LOG = LoggerFactory.getLogger(SiteFailover.class);

    private final ExtentReplicator replicator;

    public SiteFailover(ExtentReplicator replicator) {
        this.replicator = replicator;
    }

    /** What a failover did, and the bytes its final syncs copied. */
    public record Outcome(FailoverResult result, long bytesCopied) {}

    /** Promotes {@code target}'s copies of {@code volumes}, leaving {@code active}. */
    public Outcome failover(ActiveSite active, ActiveSite target, List<VolumeSpec> volumes) {
        return move(active, target, volumes, false);
    }

    /** Resyncs {@code volumes} from {@code active} (a target) back to {@code primary} and returns them there. */
    public Outcome failback(ActiveSite active, ActiveSite primary, List<VolumeSpec> volumes) {
        return move(active, primary, volumes, true);
    }

    private Outcome move(ActiveSite from, ActiveSite to, List<VolumeSpec> volumes, boolean failback) {
        String what = failback ? "Failback" : "Failover";
        SiteLayout source = BackendSites.layout(from);
        SiteLayout destination;
        try {
            destination = BackendSites.existing(to);
        } catch (DriverException e) {
            throw new DriverException(what + " to site '" + to.name() + "' is impossible: " + e.getMessage(), e);
        }
        boolean sourceReachable = BackendSites.reachable(source);
        if (!sourceReachable) {
            LOG.warn(
                    "{} from site '{}': {}; the copies on site '{}' are used as the last replication left them",
                    what,
                    from.name(),
                    BackendSites.missing(from, source),
                    to.name());
        }
        String replicationStatus = failback ? VolumeUpdate.REPLICATION_ENABLED : VolumeUpdate.REPLICATION_FAILED_OVER;
        List<VolumeUpdate> updates = new ArrayList<>(volumes.size());
        List<String> errors = new ArrayList<>();
        long bytes = 0;
        for (VolumeSpec volume : volumes) {
            if (!volume.replicated()) {
                updates.add(new VolumeUpdate(volume.id(), VolumeUpdate.STATUS_ERROR, null, null));
                continue;
            }
            Path src;
            Path dst;
            try {
                src = source.volumeFile(volume.id());
                dst = destination.volumeFile(volume.id());
            } catch (DriverException e) {
                updates.add(new VolumeUpdate(volume.id(), VolumeUpdate.STATUS_ERROR, null, null));
                errors.add(e.getMessage());
                continue;
            }
            if (sourceReachable && Files.isRegularFile(src)) {
                bytes += lastSync(what, from, to, volume, src, dst, failback);
            }
            if (Files.isRegularFile(dst)) {
                updates.add(new VolumeUpdate(volume.id(), null, replicationStatus, dst.toString()));
            } else {
                updates.add(new VolumeUpdate(volume.id(), VolumeUpdate.STATUS_ERROR, null, null));
                errors.add("volume " + volume.id() + " has no copy " + dst + " on site '" + to.name() + "'");
            }
        }
        LOG.info(
                "{} from site '{}' to site '{}': {} volumes, {} bytes copied by the last sync, {} replicated volumes"
                        + " in error{}",
                what,
                from.name(),
                to.name(),
                volumes.size(),
                bytes,
                errors.size(),
                errors.isEmpty() ? "" : " (first: " + errors.get(0) + ")");
        return new Outcome(new FailoverResult(failback ? null : to.backendId(), updates), bytes);
    }

    private long lastSync(
            String what, ActiveSite from, ActiveSite to, VolumeSpec volume, Path src, Path dst, boolean failback) {
        try {
            return replicator.sync(src, dst).bytesCopied();
        } catch (IOException | RuntimeException e) {
            if (failback) {
                throw new DriverException(
                        "Cannot resync volume " + volume.id() + " from site '" + from.name() + "' (" + src
                                + ") back to the primary (" + dst + "): " + e + "; nothing was failed back, retry"
                                + " once the primary site is writable",
                        e);
            }
            LOG.warn(
                    "{}: the last sync of volume {} from site '{}' failed ({}); its copy on site '{}' is promoted as"
                            + " the last replication left it",
                    what,
                    volume.id(),
                    from.name(),
                    e.toString(),
                    to.name());
            return 0;
        }
    }
}
