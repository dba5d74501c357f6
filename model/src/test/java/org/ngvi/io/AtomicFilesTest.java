package org.ngvi.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.sorted().toList();
        }
    }

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path f = tmp.resolve("sub/state.bin");
        AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
        assertEquals("two", Files.readString(f));
        AtomicFiles.writeChannel(f, ch -> AtomicFiles.writeFully(ch, ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        AtomicFiles.write(f, temp -> Files.writeString(temp, "four"));
        assertEquals("four", Files.readString(f));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousFileIntact() throws IOException {
        Path f = tmp.resolve("checkpoint.ngvi");
        AtomicFiles.write(f, "previous".getBytes(StandardCharsets.UTF_8));
        // the disk fills up halfway through the new file
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeChannel(f, ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(new byte[1 << 16]));
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("previous", Files.readString(f));
        assertEquals(List.of(f), listing(), "the partial temporary file is removed");
        assertThrows(IOException.class, () -> AtomicFiles.write(f, temp -> {
            throw new IOException("encoder failed");
        }));
        assertEquals("previous", Files.readString(f));
        assertEquals(List.of(f), listing());
    }

    @Test
    void tempSiblingsAreHiddenAndFresh() {
        Path t = AtomicFiles.tempSibling(tmp.resolve("a.json"));
        assertEquals(tmp, t.getParent());
        assertTrue(t.getFileName().toString().startsWith(".a.json.") && t.toString().endsWith(".tmp"), t.toString());
        assertTrue(!Files.exists(t));
    }
}
