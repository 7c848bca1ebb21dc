package io.tandem.driver.fs.replication;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The last synced state of one volume's target copy, kept on the target site beside the copy (so it travels with the
 * site it describes and a new replicator member finds it): the extent size, the volume length, the target file's
 * modification time right after the sync, and one checksum per extent ({@link #ZERO} for an all-zero extent).
 *
 * <p>Binary, big-endian: magic, version, extent size, length, target mtime, count, checksums, then a CRC32C of all
 * of that. Anything that does not parse exactly (torn, truncated, another version) reads as absent, and the caller
 * falls back to comparing against the target's bytes: a bad metadata file costs time, never correctness.
 */
record ExtentMetadata(int extentSize, long length, long targetMtimeMicros, long[] checksums) {
    /** The checksum slot of an all-zero extent. CRC32C values fit in 32 unsigned bits, so -1 never collides. */
    static final long ZERO = -1L;

    private static final int MAGIC = 0x544e4458; // "TNDX"
    private static final int VERSION = 1;
    private static final int HEADER = 4 + 4 + 4 + 8 + 8 + 4;

    /** Reads {@code file}; empty when it is missing or not a complete, self-consistent metadata file. */
    static Optional<ExtentMetadata> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (bytes.length < HEADER + 4) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        if ((int) crc.getValue() != in.getInt(bytes.length - 4)) {
            return Optional.empty();
        }
        if (in.getInt() != MAGIC || in.getInt() != VERSION) {
            return Optional.empty();
        }
        int extentSize = in.getInt();
        long length = in.getLong();
        long mtime = in.getLong();
        int count = in.getInt();
        // The count must be exactly what the length implies and exactly what the file holds, or it is not ours.
        if (extentSize <= 0
                || length < 0
                || count != extentCount(length, extentSize)
                || bytes.length != HEADER + 8L * count + 4) {
            return Optional.empty();
        }
        long[] checksums = new long[count];
        for (int i = 0; i < count; i++) {
            checksums[i] = in.getLong();
        }
        return Optional.of(new ExtentMetadata(extentSize, length, mtime, checksums));
    }

    /**
     * Replaces {@code file} with this state atomically: written and forced to a temporary file in the same directory,
     * then renamed over the old one, so a crash leaves either the old or the new metadata, never a mix.
     */
    void write(Path file) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(HEADER + 8 * checksums.length + 4);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(extentSize);
            out.writeLong(length);
            out.writeLong(targetMtimeMicros);
            out.writeInt(checksums.length);
            for (long checksum : checksums) {
                out.writeLong(checksum);
            }
        }
        byte[] body = buffer.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer data = ByteBuffer.allocate(body.length + 4)
                .put(body)
                .putInt((int) crc.getValue())
                .flip();

        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                while (data.hasRemaining()) {
                    channel.write(data);
                }
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    static int extentCount(long length, int extentSize) {
        long count = (length + extentSize - 1) / extentSize;
        if (count > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("Volume of " + length + " bytes has too many extents of " + extentSize);
        }
        return (int) count;
    }

    /** Makes a rename or delete durable; best effort, as some filesystems refuse to sync a directory. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Nothing more can be done; the operation itself succeeded.
        }
    }
}
