package io.tandem.driver.fs;

import io.tandem.driver.CapacityReport;
import io.tandem.driver.ConnectionInfo;
import io.tandem.driver.DriverCapabilities;
import io.tandem.driver.DriverContext;
import io.tandem.driver.DriverException;
import io.tandem.driver.VolumeDriver;
import io.tandem.driver.VolumeLocation;
import io.tandem.driver.VolumeSpec;
import io.tandem.driver.support.ActiveSite;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
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
 * <p>Replication (issue "Real replication in the shared-filesystem driver") is not here yet, so the capabilities do
 * not claim it and the SPI's refusing defaults stay.
 */
public final class SharedFilesystemDriver implements VolumeDriver {
    /** The name {@link io.tandem.driver.DriverFactory} and configuration know this driver by. */
    public static final String NAME = "shared-filesystem";

    private static final Logger LOG = LoggerFactory.getLogger(SharedFilesystemDriver.class);
    private static final long GIB = 1L << 30;

    /** The site being served; one reference, so a later failover can switch sites in one write. */
    private record Serving(ActiveSite site, SiteLayout layout) {}

    private volatile Serving serving;

    @Override
    public DriverCapabilities capabilities() {
        return new DriverCapabilities(NAME, true, false, false);
    }

    /**
     * Checks that the active site's directory exists and is writable (by creating {@code volumes/} if needed and a
     * probe file in it) before the node announces itself: a node that cannot write its site must not take work.
     */
    @Override
    public void doSetup(DriverContext context) {
        ActiveSite site = ActiveSite.resolve(context);
        SiteLayout layout = SiteLayout.at(siteRoot(site));
        if (!Files.isDirectory(layout.root())) {
            throw new DriverException("Site directory " + layout.root() + " of site '" + site.name()
                    + "' does not exist or is not a directory");
        }
        try {
            Files.createDirectories(layout.volumesDir());
            Path probe = Files.createTempFile(layout.volumesDir(), ".probe-", ".tmp");
            Files.delete(probe);
        } catch (IOException | UnsupportedOperationException e) {
            throw new DriverException(
                    "Site directory " + layout.root() + " of site '" + site.name() + "' is not writable: " + e, e);
        }
        serving = new Serving(site, layout);
        LOG.info("Host {} serves site '{}' at {}", context.host(), site.name(), layout.root());
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

    @Override
    public void deleteVolume(VolumeSpec volume) {
        Path file = serving().layout().volumeFile(volume.id());
        try {
            boolean deleted = SparseFiles.delete(file);
            LOG.debug("Volume {} {} at {}", volume.id(), deleted ? "deleted" : "already absent", file);
        } catch (IOException e) {
            throw failure("delete", volume.id(), file, e);
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

    /** The layout of the site being served; for tests and, later, the replicator. */
    public SiteLayout layout() {
        return serving().layout();
    }

    private Serving serving() {
        Serving current = serving;
        if (current == null) {
            throw new DriverException("The shared-filesystem driver is not set up; doSetup must run first");
        }
        return current;
    }

    private static Path siteRoot(ActiveSite site) {
        if (site.location() == null || site.location().isBlank()) {
            throw new DriverException("Site '" + site.name() + "' has no directory configured");
        }
        try {
            return Path.of(site.location());
        } catch (InvalidPathException e) {
            throw new DriverException(
                    "Site '" + site.name() + "' has an invalid directory '" + site.location() + "': " + e.getMessage(),
                    e);
        }
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
