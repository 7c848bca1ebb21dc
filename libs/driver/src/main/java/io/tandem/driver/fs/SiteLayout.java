package io.tandem.driver.fs;

import io.tandem.driver.DriverException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where things live on one site of the shared-filesystem driver. Every node of a cluster, and later the replicator,
 * derives paths from this one class, so the layout is defined once:
 *
 * <pre>
 * &lt;site&gt;/volumes/volume-&lt;uuid&gt;   one sparse file per volume, its length the volume's size
 * &lt;site&gt;/.tandem/                  reserved for the driver's own metadata (replication state, site identity);
 *                                  never a volume, so listing volumes/ finds only volumes
 * </pre>
 *
 * <p>Paths are derived from the volume id only, never from a stored provider location, so that after a failover the
 * same id resolves on the newly active site.
 */
public final class SiteLayout {
    /** The directory of volume files under a site. */
    public static final String VOLUMES_DIR = "volumes";
    /** The directory reserved for driver metadata under a site. */
    public static final String METADATA_DIR = ".tandem";
    /** The prefix of a volume file's name; the rest is the volume id. */
    public static final String VOLUME_PREFIX = "volume-";

    // Volume ids become file names, so only canonical uuids are accepted: anything else could escape the site
    // ("../x") or alias another volume.
    private static final Pattern UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);

    private final Path root;

    private SiteLayout(Path root) {
        this.root = root;
    }

    /** The layout of the site rooted at {@code root} (made absolute, so provider locations are absolute). */
    public static SiteLayout at(Path root) {
        return new SiteLayout(root.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    public Path volumesDir() {
        return root.resolve(VOLUMES_DIR);
    }

    public Path metadataDir() {
        return root.resolve(METADATA_DIR);
    }

    /**
     * The file of volume {@code volumeId} on this site.
     *
     * @throws DriverException when the id is not a uuid
     */
    public Path volumeFile(String volumeId) {
        if (volumeId == null || !UUID.matcher(volumeId).matches()) {
            throw new DriverException("Volume id '" + volumeId + "' is not a uuid; the shared-filesystem driver names"
                    + " files after volume ids and accepts uuids only");
        }
        // Lower case so that one volume never has two files whatever case its id arrives in.
        return volumesDir().resolve(VOLUME_PREFIX + volumeId.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
