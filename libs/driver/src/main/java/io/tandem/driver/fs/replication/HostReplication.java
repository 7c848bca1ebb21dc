package io.tandem.driver.fs.replication;

import io.tandem.driver.DriverException;
import io.tandem.driver.HostReplicationUpdate;
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
 * The storage side of {@code updateHostReplication} for the shared-filesystem driver: the primary site's files become
 * the backend's volumes and every target is prepared for a full initial sync. Run after a promote (A → B → C: B, once
 * a target, is now the primary and C its target) or a reset of the active backend.
 *
 * <p>A site is a directory and a volume the same relative path on every site, so nothing is moved or copied here:
 * B's copies already are B's volumes. What must change is the sync metadata ({@link ExtentReplicator}): a target may
 * hold a copy and metadata from an earlier life (a former target, a site that served another primary), and that
 * metadata could vouch for bytes the copy no longer holds. So every volume's metadata is forgotten on every target,
 * and on the primary too (it described the primary as a copy, which it no longer is); the copies themselves are kept,
 * so the next replication cycle compares the real bytes and writes only what differs.
 *
 * <p>In order, and nothing is changed before the checks pass:
 *
 * <ol>
 *   <li>The primary's directory and every target's must exist (never created: a missing one is an unmounted share or
 *       a lost site), and no target may be the primary's directory; otherwise a {@link DriverException} names the site
 *       and the directory.
 *   <li>The sync metadata of every volume is forgotten on every site.
 *   <li>Per volume (replicated or not: on a backend with targets every volume is replicated from now on): its file
 *       on the primary gives {@code replication_status} {@code enabled} with targets, {@code disabled} without, and
 *       {@code provider_location} = the file's absolute path; no file gives {@code status = error}.
 * </ol>
 *
 * <p>Idempotent: a repeat forgets metadata again (at most one more full compare) and returns the same result.
 */
public final class HostReplication {
    private static final Logger LOG = LoggerFactory.getLogger(HostReplication.class);

    private final ExtentReplicator replicator;

    public HostReplication(ExtentReplicator replicator) {
        this.replicator = replicator;
    }

    /**
     * Makes {@code primary}'s files the volumes of the backend and prepares {@code targets}; see the class comment.
     *
     * @throws DriverException when a site's directory is missing, a target is the primary's directory, or sync
     *     metadata cannot be removed
     */
    public HostReplicationUpdate update(ActiveSite primary, List<ActiveSite> targets, List<VolumeSpec> volumes) {
        SiteLayout source = checked(primary, "Cannot make site '" + primary.name() + "' the primary: ");
        List<SiteLayout> copies = new ArrayList<>(targets.size());
        for (ActiveSite target : targets) {
            String refused = "Cannot set up replication to site '" + target.name() + "': ";
            SiteLayout layout = checked(target, refused);
            if (sameDirectory(source, layout)) {
                throw new DriverException(refused + "its directory " + layout.root() + " is the primary's");
            }
            copies.add(layout);
        }

        int forgotten = forgetSyncState(primary, source, volumes);
        for (int i = 0; i < targets.size(); i++) {
            forgotten += forgetSyncState(targets.get(i), copies.get(i), volumes);
        }

        String status = targets.isEmpty() ? VolumeUpdate.REPLICATION_DISABLED : VolumeUpdate.REPLICATION_ENABLED;
        List<VolumeUpdate> updates = new ArrayList<>(volumes.size());
        int errors = 0;
        for (VolumeSpec volume : volumes) {
            Path file = fileOf(source, volume);
            if (file != null && Files.isRegularFile(file)) {
                updates.add(new VolumeUpdate(volume.id(), null, status, file.toString()));
            } else {
                updates.add(new VolumeUpdate(volume.id(), VolumeUpdate.STATUS_ERROR, null, null));
                errors++;
                LOG.warn(
                        "Volume {} {} on the primary site at {}; it goes to error",
                        volume.id(),
                        file == null ? "is not a uuid, so it has no file" : "has no file " + file,
                        source.root());
            }
        }
        LOG.info(
                "Site '{}' at {} is the primary, its targets {}: {} volumes, {} in error; {} sync records forgotten, so"
                        + " the next cycles compare every copy in full",
                primary.name(),
                source.root(),
                targets.stream().map(ActiveSite::name).toList(),
                volumes.size(),
                errors,
                forgotten);
        return new HostReplicationUpdate(status, null, updates);
    }

    private static SiteLayout checked(ActiveSite site, String refused) {
        try {
            return BackendSites.existing(site);
        } catch (DriverException e) {
            throw new DriverException(refused + e.getMessage(), e);
        }
    }

    /** Same directory, also through a symlink or a second mount of one share (which would copy a file onto itself). */
    private static boolean sameDirectory(SiteLayout primary, SiteLayout target) {
        try {
            return Files.isSameFile(primary.root(), target.root());
        } catch (IOException e) {
            return primary.root().equals(target.root());
        }
    }

    /** @return how many records were removed */
    private int forgetSyncState(ActiveSite site, SiteLayout layout, List<VolumeSpec> volumes) {
        int removed = 0;
        for (VolumeSpec volume : volumes) {
            if (fileOf(layout, volume) == null) {
                continue; // not a volume id this driver can name; it goes to error below
            }
            try {
                if (replicator.forgetSyncState(layout.root(), volume.id())) {
                    removed++;
                }
            } catch (IOException e) {
                // Fatal, not a warning: the metadata left behind could make the next cycles skip stale extents.
                throw new DriverException(
                        "Cannot forget the sync state of volume " + volume.id() + " on site '" + site.name() + "' at "
                                + layout.root() + ": " + e + "; retry once the site is writable",
                        e);
            }
        }
        return removed;
    }

    /** The volume's file on {@code layout}, or null when its id is not one the driver accepts. */
    private static Path fileOf(SiteLayout layout, VolumeSpec volume) {
        try {
            return layout.volumeFile(volume.id());
        } catch (DriverException e) {
            return null;
        }
    }
}
