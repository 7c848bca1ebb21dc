package io.tandem.driver.fs.replication;

import io.tandem.driver.DriverContext;
import io.tandem.driver.DriverException;
import io.tandem.driver.fs.SiteLayout;
import io.tandem.driver.support.ActiveSite;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every site of one shared-filesystem backend: the primary ({@link DriverContext#primaryLocation()}) and the
 * replication targets, each a directory. Directories are checked when a site is used, not when the driver is set up:
 * a target that is down must not stop a node from serving the primary, and the error then names the site and the
 * directory at the moment it matters.
 */
public final class BackendSites {
    private final DriverContext context;
    private final ActiveSite primary;
    private final List<ActiveSite> targets;

    private BackendSites(DriverContext context) {
        this.context = context;
        this.primary = new ActiveSite(null, context.primaryLocation());
        this.targets = context.targets().stream()
                .map(target -> new ActiveSite(target.backendId(), target.location()))
                .toList();
    }

    public static BackendSites of(DriverContext context) {
        return new BackendSites(context);
    }

    public ActiveSite primary() {
        return primary;
    }

    public List<ActiveSite> targets() {
        return targets;
    }

    /** Every site but {@code site}: the primary and the targets, in configuration order. */
    public List<ActiveSite> allBut(ActiveSite site) {
        return Stream.concat(Stream.of(primary), targets.stream())
                .filter(other -> !other.name().equals(site.name()))
                .toList();
    }

    /**
     * The site named {@code backendId}: null, blank or {@code default} is the primary, else a replication target.
     *
     * @throws io.tandem.driver.InvalidReplicationTargetException naming the id and the targets there are
     */
    public ActiveSite site(String backendId) {
        return ActiveSite.named(context, backendId);
    }

    /** The destination of a failover from {@code active}; see {@link ActiveSite#destination}. */
    public ActiveSite destination(ActiveSite active, String secondaryId) {
        return ActiveSite.destination(context, active, secondaryId);
    }

    /**
     * True when {@code other} names the same primary directory and the same targets in the same order: the sites have
     * the same roles, whatever else the contexts differ in.
     */
    public boolean sameRolesAs(BackendSites other) {
        return Objects.equals(context.primaryLocation(), other.context.primaryLocation())
                && context.targets().equals(other.context.targets());
    }

    /** The roles for logs: {@code primary <directory>, targets [<id>=<directory>, …]}. */
    @Override
    public String toString() {
        return "primary " + primary.location()
                + ", targets "
                + targets.stream()
                        .map(target -> target.backendId() + "=" + target.location())
                        .collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * The layout of {@code site}, whether or not its directory exists.
     *
     * @throws DriverException when the site has no directory configured or it is not a valid path
     */
    public static SiteLayout layout(ActiveSite site) {
        if (site.location() == null || site.location().isBlank()) {
            throw new DriverException("Site '" + site.name() + "' has no directory configured");
        }
        try {
            return SiteLayout.at(Path.of(site.location()));
        } catch (InvalidPathException e) {
            throw new DriverException(
                    "Site '" + site.name() + "' has an invalid directory '" + site.location() + "': " + e.getMessage(),
                    e);
        }
    }

    /**
     * The layout of {@code site}, whose directory must exist. Nothing is ever created in place of a missing site
     * directory: it is an unmounted share or a lost site, and files written there would be found by no one.
     *
     * @throws DriverException naming the site and the directory when it is missing
     */
    public static SiteLayout existing(ActiveSite site) {
        SiteLayout layout = layout(site);
        if (!reachable(layout)) {
            throw new DriverException(missing(site, layout));
        }
        return layout;
    }

    /** True when the site's directory is there (an unreachable share reads as missing). */
    public static boolean reachable(SiteLayout layout) {
        return Files.isDirectory(layout.root());
    }

    /** The operator's message for a site whose directory is missing. */
    public static String missing(ActiveSite site, SiteLayout layout) {
        return "Site directory " + layout.root() + " of site '" + site.name()
                + "' does not exist or is not a directory (share not mounted or site lost?)";
    }
}
