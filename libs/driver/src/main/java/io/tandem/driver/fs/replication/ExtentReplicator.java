package io.tandem.driver.fs.replication;

import io.tandem.driver.fs.SiteLayout;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;

/**
 * Copies the changed extents of sparse volume files from the active site to a replication target site.
 *
 * <p>A volume is cut into fixed-size extents. Every sync reads the whole source (there is no portable way to ask
 * Java which regions changed or which are holes), checksums each extent (CRC32C, hardware-accelerated) and compares
 * it with the checksum recorded for the target copy by the previous sync; only extents that differ are written. The
 * record ({@link ExtentMetadata}) lives on the target site under {@code .tandem/sync/volume-<uuid>.extents}, so an
 * idle volume costs one read of the source and writes nothing at all.
 *
 * <p>Holes stay holes: an all-zero source extent is never written into a region the target is known to hold as zero
 * (a fresh file, or the tail added by growing it). The one exception is an extent that held data and became all zero:
 * Java cannot punch holes, so zeros are written over that extent only, which is correct if not maximally sparse.
 *
 * <p>Crash safety: before the first write of a sync the old metadata is deleted, the data is forced before the new
 * metadata is written, and the metadata is replaced atomically. The metadata also records the target's length and
 * modification time; if either differs (a crash mid-sync, someone writing the copy), or the metadata is missing or
 * corrupt, the sync falls back to comparing the source with the target's actual bytes, which is always correct.
 *
 * <p>A source written during a sync gives a copy whose extents are each some version of that extent (not a
 * point-in-time image); the checksums describe what was copied, so the next sync picks up what changed meanwhile.
 * Stateless apart from its settings and thread-safe; it runs no threads of its own. Syncs of the same volume must not
 * overlap (the caller, the one member holding the replicator key, runs them one at a time).
 */
public final class ExtentReplicator {
    /** The default extent size, 1 MiB: small enough that a one-byte write copies little, large for few checksums. */
    public static final int DEFAULT_EXTENT_SIZE = 1 << 20;

    /** The directory under a site's {@code .tandem/} that holds the sync metadata. */
    public static final String SYNC_DIR = "sync";

    private static final String METADATA_SUFFIX = ".extents";
    /** A previous-checksum answer meaning "not known; read the target to find out". */
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final int extentSize;
    private final Clock clock;
    private final ByteBuffer zeros;

    public ExtentReplicator() {
        this(DEFAULT_EXTENT_SIZE, Clock.systemUTC());
    }

    public ExtentReplicator(int extentSize) {
        this(extentSize, Clock.systemUTC());
    }

    /**
     * @param extentSize the extent size in bytes (positive; a multiple of the filesystem block size keeps holes
     *     aligned). Changing it makes the next sync of every volume a full compare, since old checksums do not apply.
     */
    public ExtentReplicator(int extentSize, Clock clock) {
        if (extentSize <= 0 || extentSize > (256 << 20)) {
            throw new IllegalArgumentException("Extent size must be between 1 byte and 256 MiB, not " + extentSize);
        }
        this.extentSize = extentSize;
        this.clock = clock;
        this.zeros = ByteBuffer.allocateDirect(extentSize).asReadOnlyBuffer();
    }

    /** Where the sync metadata of {@code volumeId}'s copy on {@code targetSite} lives. */
    public static Path metadataFile(Path targetSite, String volumeId) {
        SiteLayout layout = SiteLayout.at(targetSite);
        return metadataFileOf(layout.root(), layout.volumeFile(volumeId));
    }

    /**
     * Brings {@code targetFile} (a volume file on the target site, {@code <site>/volumes/volume-<uuid>}) up to date
     * with {@code sourceFile}: same length, same bytes, changed extents only.
     */
    public SyncResult sync(Path sourceFile, Path targetFile) throws IOException {
        return sync(sourceFile, targetFile, () -> true);
    }

    /**
     * As {@link #sync(Path, Path)}, but asks {@code keepGoing} before each extent and stops as soon as it answers
     * false: what was written so far is forced and no metadata is written (it was deleted before the first write), so
     * the next sync compares with the copy's actual bytes. A stop before anything changed leaves the copy and its
     * metadata as they were.
     *
     * @throws SyncStoppedException when {@code keepGoing} answered false before the last extent
     */
    public SyncResult sync(Path sourceFile, Path targetFile, BooleanSupplier keepGoing) throws IOException {
        Path target = targetFile.toAbsolutePath().normalize();
        Path volumesDir = target.getParent();
        if (volumesDir == null
                || volumesDir.getParent() == null
                || !volumesDir.getFileName().toString().equals(SiteLayout.VOLUMES_DIR)
                || !target.getFileName().toString().startsWith(SiteLayout.VOLUME_PREFIX)) {
            throw new IllegalArgumentException("Target " + targetFile + " is not <site>/volumes/volume-<uuid>");
        }
        Path metaFile = metadataFileOf(volumesDir.getParent(), target);
        Files.createDirectories(volumesDir);
        ByteBuffer src = ByteBuffer.allocateDirect(extentSize);
        ByteBuffer dst = ByteBuffer.allocateDirect(extentSize);
        CRC32C crc = new CRC32C();
        long bytesCopied = 0;
        int extentsCopied = 0;
        boolean changed = false;
        long[] sums;
        long length;

        try (FileChannel in = FileChannel.open(sourceFile, StandardOpenOption.READ);
                RandomAccessFile raf = new RandomAccessFile(target.toFile(), "rw")) {
            FileChannel out = raf.getChannel();
            length = in.size();
            long oldLength = out.size();
            ExtentMetadata trusted = trustedMetadata(metaFile, target, oldLength);
            if (length != oldLength) {
                invalidate(metaFile);
                changed = true;
                // Grows with a hole or cuts the tail; either way the target now has the source's length.
                raf.setLength(length);
            }
            sums = new long[ExtentMetadata.extentCount(length, extentSize)];
            for (int i = 0; i < sums.length; i++) {
                if (!keepGoing.getAsBoolean()) {
                    if (changed) {
                        out.force(true);
                    }
                    throw new SyncStoppedException("Sync of " + sourceFile + " to " + target + " stopped after " + i
                            + " of " + sums.length + " extents (" + bytesCopied + " bytes copied)");
                }
                long start = (long) i * extentSize;
                int len = (int) Math.min(extentSize, length - start);
                readFully(in, src, start, len);
                boolean zero = src.mismatch(zeros.slice(0, len)) == -1;
                long sum = ExtentMetadata.ZERO;
                if (!zero) {
                    crc.reset();
                    crc.update(src.duplicate());
                    sum = crc.getValue();
                }
                sums[i] = sum;
                long previous = previous(trusted, i, start, len, oldLength);
                boolean differs =
                        previous != UNKNOWN ? previous != sum : src.mismatch(readFully(out, dst, start, len)) != -1;
                if (differs) {
                    if (!changed) {
                        invalidate(metaFile);
                        changed = true;
                    }
                    writeFully(out, src, start);
                    bytesCopied += len;
                    extentsCopied++;
                }
            }
            if (changed) {
                out.force(true);
            }
            if (!changed && trusted != null) {
                // Idle: the recorded state is still exact, so nothing is written, not even the metadata.
                return new SyncResult(0, 0, sums.length, clock.instant());
            }
        }
        // Read after the writes (and the close), so an idle next sync sees exactly this time.
        long mtime = Files.getLastModifiedTime(target).to(TimeUnit.MICROSECONDS);
        new ExtentMetadata(extentSize, length, mtime, sums).write(metaFile);
        return new SyncResult(bytesCopied, extentsCopied, sums.length, clock.instant());
    }

    /**
     * Syncs the given volumes of {@code sourceSite} to {@code targetSite}, one after the other, and sums the results.
     * The first failure stops the run; volumes synced before it keep their new state.
     */
    public SyncResult syncSite(Path sourceSite, Path targetSite, Collection<String> volumeIds) throws IOException {
        SiteLayout source = SiteLayout.at(sourceSite);
        SiteLayout target = SiteLayout.at(targetSite);
        SyncResult total = new SyncResult(0, 0, 0, clock.instant());
        for (String id : volumeIds) {
            total = total.plus(sync(source.volumeFile(id), target.volumeFile(id)));
        }
        return total;
    }

    /**
     * Removes {@code volumeId}'s copy and its metadata from {@code targetSite}; nothing there is fine. The metadata
     * goes first so that no metadata ever describes a copy that is being deleted.
     */
    public void forget(Path targetSite, String volumeId) throws IOException {
        SiteLayout layout = SiteLayout.at(targetSite);
        Path file = layout.volumeFile(volumeId);
        invalidate(metadataFileOf(layout.root(), file));
        if (Files.deleteIfExists(file)) {
            ExtentMetadata.syncDirectory(file.getParent());
        }
    }

    /**
     * Removes only the sync metadata of {@code volumeId}'s copy on {@code targetSite}, keeping the copy: the next sync
     * then compares the source with the copy's actual bytes (a full initial sync that writes only what differs). Used
     * when a site takes a new role, since metadata from an earlier life of the site may vouch for bytes it no longer
     * describes. Nothing there is fine.
     *
     * @return true when metadata was removed
     */
    public boolean forgetSyncState(Path targetSite, String volumeId) throws IOException {
        SiteLayout layout = SiteLayout.at(targetSite);
        return invalidate(metadataFileOf(layout.root(), layout.volumeFile(volumeId)));
    }

    private static Path metadataFileOf(Path siteRoot, Path volumeFile) {
        return siteRoot.resolve(SiteLayout.METADATA_DIR)
                .resolve(SYNC_DIR)
                .resolve(volumeFile.getFileName() + METADATA_SUFFIX);
    }

    /**
     * The recorded state, if it can be trusted to describe the target as it is now; null means compare with the
     * target's bytes. An empty target is trivially known (all hole), whatever the metadata says.
     */
    private ExtentMetadata trustedMetadata(Path metaFile, Path target, long targetLength) throws IOException {
        if (targetLength == 0) {
            return new ExtentMetadata(extentSize, 0, 0, new long[0]);
        }
        long mtime = Files.getLastModifiedTime(target).to(TimeUnit.MICROSECONDS);
        return ExtentMetadata.read(metaFile)
                .filter(m ->
                        m.extentSize() == extentSize && m.length() == targetLength && m.targetMtimeMicros() == mtime)
                .orElse(null);
    }

    /**
     * What the target holds in extent {@code i} before this sync: zero past its old length (setLength made a hole
     * there), the recorded checksum when the extent covered the same bytes last time, else unknown.
     */
    private long previous(ExtentMetadata trusted, int i, long start, int len, long oldLength) {
        if (start >= oldLength) {
            return ExtentMetadata.ZERO;
        }
        if (trusted != null && i < trusted.checksums().length && Math.min(extentSize, oldLength - start) == len) {
            return trusted.checksums()[i];
        }
        return UNKNOWN;
    }

    /**
     * Deletes the metadata, durably, so a crash after the next write cannot leave it vouching for stale data.
     *
     * @return true when there was metadata to delete
     */
    private static boolean invalidate(Path metaFile) throws IOException {
        if (Files.deleteIfExists(metaFile)) {
            ExtentMetadata.syncDirectory(metaFile.getParent());
            return true;
        }
        return false;
    }

    /**
     * Reads {@code len} bytes at {@code position} into {@code buffer}, flipped for reading. Bytes past the end of the
     * file read as zeros: a file can only be shorter than expected if it shrank during the sync, and the next sync
     * copies its new length anyway.
     */
    private ByteBuffer readFully(FileChannel channel, ByteBuffer buffer, long position, int len) throws IOException {
        buffer.clear().limit(len);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                buffer.put(zeros.slice(0, buffer.remaining()));
            }
        }
        return buffer.flip();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        ByteBuffer data = buffer.duplicate();
        while (data.hasRemaining()) {
            channel.write(data, position + data.position());
        }
    }
}
