package org.ngvi.spark.plot;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file through a temporary sibling and renames it into place, so readers never see a partial file. */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Writes the content of a file at a given (temporary) path. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temp) throws IOException;
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

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /**
     * Calls {@code content} on a temporary file beside {@code target}, then moves it onto
     * {@code target} (atomically where the file system allows). On failure the temporary file is
     * deleted and {@code target} is left as it was.
     */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path temp = tempSibling(abs);
        boolean done = false;
        try {
            content.writeTo(temp);
            try {
                Files.move(temp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
