package org.ngvi.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * The one way this project replaces a file: write a temporary sibling in the same directory,
 * fsync it, rename it over the target (atomically where the file system allows), fsync the
 * directory. A reader sees the old file or the complete new one; after a crash the new file is
 * either absent or complete. On any failure (disk full, an exception of the writer) the
 * temporary file is deleted, the target is left as it was, and the exception propagates.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes a file's content at a given (temporary) path, e.g. through an image or ZIP writer. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temp) throws IOException;
    }

    /** Writes a file's content into an open channel (positioned at 0 of an empty file). */
    @FunctionalInterface
    public interface ChannelContent {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Replaces {@code target} by {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        writeChannel(target, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    /** Replaces {@code target} by what {@code content} writes into a channel (fsynced before the rename). */
    public static void writeChannel(Path target, ChannelContent content) throws IOException {
        replace(target, temp -> {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.writeTo(ch);
                ch.force(true);
            }
        });
    }

    /** Replaces {@code target} by the file {@code content} writes at a temporary path (fsynced before the rename). */
    public static void write(Path target, Content content) throws IOException {
        replace(target, temp -> {
            content.writeTo(temp);
            fsync(temp);
        });
    }

    private static void replace(Path target, Content writeAndSync) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path temp = tempSibling(abs);
        boolean moved = false;
        try {
            writeAndSync.writeTo(temp);
            rename(temp, abs);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * For writers that stream into a {@link #tempSibling} themselves (e.g. a GIF encoder): fsyncs
     * the complete {@code temp}, renames it over {@code target} and fsyncs the directory.
     */
    public static void commit(Path temp, Path target) throws IOException {
        fsync(temp);
        rename(temp, target.toAbsolutePath());
    }

    private static void rename(Path temp, Path abs) throws IOException {
        try {
            Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(abs.getParent());
    }

    /**
     * A path beside {@code target} that does not exist yet, named {@code .NAME.<random>.tmp}. Not
     * created here, so the file gets the process's default permissions when it is written
     * ({@code Files.createTempFile} would make it owner-only).
     */
    public static Path tempSibling(Path target) {
        Path abs = target.toAbsolutePath();
        while (true) {
            Path p = abs.resolveSibling("." + abs.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            if (!Files.exists(p)) {
                return p;
            }
        }
    }

    /** Forces {@code file}'s content and metadata to disk. */
    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * Forces {@code dir}'s entries (a rename, a new file) to disk. Not every platform lets a
     * directory be opened for fsync; there the rename itself is still atomic and this is a no-op.
     */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // see above
        }
    }

    /** Writes every remaining byte of {@code b} (a channel may write fewer per call). */
    public static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
