package io.tandem.driver.fs;

import io.tandem.driver.DriverException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file operations behind volumes, written so that any number of nodes may repeat or race them on one shared
 * directory without corrupting it. Sizes are set with {@code ftruncate} ({@link RandomAccessFile#setLength}), which
 * allocates no blocks: a new volume is all hole, so creating a 1 TiB volume is instant and costs no space.
 */
final class SparseFiles {
    private SparseFiles() {}

    /**
     * Makes {@code file} exist with length {@code bytes}. Create-new first, so exactly one racing creator makes the
     * file, then set the length; a file that already exists is a retry, a racing create of the same volume, or a crash
     * between the two steps (length 0), and is accepted or grown to the size. A larger file is someone else's data
     * and is refused rather than cut.
     *
     * @return true when this call created the file
     */
    static boolean createOrGrow(Path file, long bytes) throws IOException {
        boolean created;
        try {
            Files.createFile(file);
            created = true;
        } catch (FileAlreadyExistsException e) {
            created = false;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long current = raf.length();
            if (current > bytes) {
                throw new DriverException("Volume file " + file + " already exists with " + current
                        + " bytes, more than the requested " + bytes + "; refusing to shrink it");
            }
            if (current < bytes) {
                raf.setLength(bytes);
            }
            // The caller records the location as soon as we return; the size must survive a crash of the file server.
            raf.getChannel().force(true);
        }
        if (created) {
            syncDirectory(file.getParent());
        }
        return created;
    }

    /**
     * Grows an existing {@code file} to {@code bytes}; the current length is fine, a smaller target is refused.
     *
     * <p>The file is first opened without create, which both proves it exists and pins its inode. {@link
     * RandomAccessFile} can only open with create, so if a racing delete removed the file in between, it would make a
     * new empty one: comparing the pinned inode's length afterwards detects that and fails the extend instead of
     * reporting success on a file that no longer is the volume.
     */
    static void grow(Path file, long bytes) throws IOException {
        try (FileChannel pinned = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long current = pinned.size();
            if (current > bytes) {
                throw new DriverException("Cannot shrink volume file " + file + " from " + current + " to " + bytes
                        + " bytes; volumes only grow");
            }
            if (current == bytes) {
                return;
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(bytes);
                raf.getChannel().force(true);
            }
            // Less, not different: a racing larger extend is no reason to fail, a recreated file is.
            if (pinned.size() < bytes) {
                throw new DriverException("Volume file " + file + " was deleted while it was being extended");
            }
        } catch (NoSuchFileException e) {
            throw new DriverException("Volume file " + file + " does not exist; cannot extend it", e);
        }
    }

    /**
     * Deletes {@code file} if it exists; of two racing deletes one removes it and the other finds nothing.
     *
     * @return true when this call removed the file
     */
    static boolean delete(Path file) throws IOException {
        boolean deleted = Files.deleteIfExists(file);
        if (deleted) {
            syncDirectory(file.getParent());
        }
        return deleted;
    }

    /**
     * Makes a directory entry change durable. Best effort: some filesystems refuse to sync a directory, and there the
     * file server's own ordering is all there is.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Nothing more can be done, and the operation itself succeeded.
        }
    }
}
