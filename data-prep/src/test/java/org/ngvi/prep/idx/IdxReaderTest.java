package org.ngvi.prep.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final int N = 50;
    private static final int R = 7;
    private static final int C = 5;

    @TempDir
    Path dir;

    private byte[] pixels(long seed) {
        byte[] b = new byte[N * R * C];
        new Random(seed).nextBytes(b);
        return b;
    }

    private byte[] labels() {
        byte[] l = new byte[N];
        for (int i = 0; i < N; i++) {
            l[i] = (byte) ((i * 7) % 10);
        }
        return l;
    }

    @Test
    void readsRawAndGzippedDetectedByContentNotName() throws IOException {
        byte[] px = pixels(1);
        // misleading names on purpose: gzip detection must look at the bytes
        Path gz = dir.resolve("images.raw");
        Path raw = dir.resolve("images.gz");
        IdxWriter.writeImages(gz, px, N, R, C, true);
        IdxWriter.writeImages(raw, px, N, R, C, false);
        assertEquals(0x1f, Files.readAllBytes(gz)[0] & 0xff);
        assertEquals(16 + N * R * C, Files.size(raw));
        for (Path p : new Path[]{gz, raw}) {
            try (IdxReader r = IdxReader.open(p, IdxReader.IMAGES_MAGIC)) {
                IdxHeader h = r.header();
                assertEquals(p == gz, h.gzipped());
                assertEquals(N, h.count());
                assertArrayEquals(new int[]{R, C}, h.recordDims());
                assertEquals(16, h.headerBytes());
                assertEquals(R * C, h.recordBytes());
                byte[] img = new byte[R * C];
                for (int i = 0; i < N; i++) {
                    assertEquals(i, r.position());
                    r.readRecord(img);
                    assertArrayEquals(Arrays.copyOfRange(px, i * R * C, (i + 1) * R * C), img, "image " + i + " of " + p);
                }
                r.checkEnd();
            }
        }
    }

    @Test
    void opensAtARecordForRawAndGzip() throws IOException {
        byte[] px = pixels(2);
        for (boolean gzip : new boolean[]{false, true}) {
            Path p = dir.resolve("img" + gzip);
            IdxWriter.writeImages(p, px, N, R, C, gzip);
            try (IdxReader r = IdxReader.open(p, IdxReader.IMAGES_MAGIC, 37)) {
                byte[] img = new byte[R * C];
                r.readRecord(img);
                assertArrayEquals(Arrays.copyOfRange(px, 37 * R * C, 38 * R * C), img);
                assertEquals(N - 38, r.remaining());
                r.verifyRemaining();
            }
        }
    }

    @Test
    void readsLabels() throws IOException {
        Path p = dir.resolve("labels");
        IdxWriter.writeLabels(p, labels(), true);
        try (IdxReader r = IdxReader.open(p, IdxReader.LABELS_MAGIC)) {
            assertEquals(8, r.header().headerBytes());
            assertEquals(0, r.readLabel());
            assertEquals(7, r.readLabel());
            assertArrayEquals(Arrays.copyOfRange(labels(), 2, N), r.readRemaining());
            r.checkEnd();
        }
    }

    @Test
    void wrongMagicSaysExpectedAndFound() throws IOException {
        Path p = dir.resolve("labels-not-images");
        IdxWriter.writeLabels(p, labels(), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.open(p, IdxReader.IMAGES_MAGIC));
        assertContains(e, p.toString(), "wrong magic number", "expected 0x00000803", "found 0x00000801");
        Path junk = dir.resolve("junk.png");
        Files.write(junk, new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
        e = assertThrows(IdxFormatException.class, () -> IdxReader.open(junk, IdxReader.LABELS_MAGIC));
        assertContains(e, junk.toString(), "expected 0x00000801", "found 0x89504E47", "not an IDX file");
    }

    @Test
    void truncatedImagesRawAndGzipSayExpectedVersusFound() throws IOException {
        byte[] px = pixels(3);
        for (boolean gzip : new boolean[]{false, true}) {
            Path full = dir.resolve("full" + gzip);
            IdxWriter.writeImages(full, Arrays.copyOf(px, N * R * C), N, R, C, false);
            byte[] cut = Arrays.copyOf(Files.readAllBytes(full), 16 + 1000);
            Path p = dir.resolve("truncated-images" + gzip);
            if (gzip) {
                // a complete gzip stream of truncated content: the IDX data is short, not the gzip
                try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(p))) {
                    out.write(cut);
                }
            } else {
                Files.write(p, cut);
            }
            IdxFormatException e = assertThrows(IdxFormatException.class, () -> {
                try (IdxReader r = IdxReader.open(p, IdxReader.IMAGES_MAGIC)) {
                    r.verifyRemaining();
                }
            });
            assertContains(e, p.toString(), "truncated", "expected " + N * R * C + " bytes of data", "found only 1000");
        }
    }

    @Test
    void truncatedLabelsAndHeader() throws IOException {
        Path p = dir.resolve("labels-truncated");
        IdxWriter.writeLabels(p, labels(), false);
        byte[] b = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(b, b.length - 3));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> {
            try (IdxReader r = IdxReader.open(p, IdxReader.LABELS_MAGIC)) {
                r.readRemaining();
            }
        });
        assertContains(e, p.toString(), "expected " + N + " bytes of data", "found only " + (N - 3));

        Path h = dir.resolve("header-truncated");
        Files.write(h, Arrays.copyOf(b, 6));
        e = assertThrows(IdxFormatException.class, () -> IdxReader.open(h, IdxReader.LABELS_MAGIC));
        assertContains(e, h.toString(), "truncated header");
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        e = assertThrows(IdxFormatException.class, () -> IdxReader.open(empty, IdxReader.LABELS_MAGIC));
        assertContains(e, empty.toString(), "found 0 bytes");
    }

    @Test
    void trailingDataIsAnError() throws IOException {
        Path p = dir.resolve("labels-long");
        IdxWriter.writeLabels(p, labels(), false);
        Files.write(p, new byte[]{1, 2}, java.nio.file.StandardOpenOption.APPEND);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> {
            try (IdxReader r = IdxReader.open(p, IdxReader.LABELS_MAGIC)) {
                r.verifyRemaining();
            }
        });
        assertContains(e, p.toString(), "2 bytes of trailing data");
    }

    @Test
    void corruptOrCutGzipIsUnreadableGzipNamingTheFile() throws IOException {
        Path good = dir.resolve("good.gz");
        IdxWriter.writeImages(good, pixels(4), N, R, C, true);
        byte[] b = Files.readAllBytes(good);

        Path cut = dir.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(b, b.length / 2));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> {
            try (IdxReader r = IdxReader.open(cut, IdxReader.IMAGES_MAGIC)) {
                r.verifyRemaining();
            }
        });
        assertContains(e, cut.toString(), "unreadable gzip");

        Path garbled = dir.resolve("garbled.gz");
        byte[] g = b.clone();
        for (int i = 10; i < g.length - 8; i++) {
            g[i] = (byte) (i * 31 + 7);
        }
        Files.write(garbled, g);
        e = assertThrows(IdxFormatException.class, () -> {
            try (IdxReader r = IdxReader.open(garbled, IdxReader.IMAGES_MAGIC)) {
                r.verifyRemaining();
            }
        });
        assertContains(e, garbled.toString(), "unreadable gzip");

        Path badHeader = dir.resolve("bad-gzip-header");
        Files.write(badHeader, new byte[]{0x1f, (byte) 0x8b, 99, 0, 0, 0, 0, 0, 0, 0});
        e = assertThrows(IdxFormatException.class, () -> IdxReader.open(badHeader, IdxReader.IMAGES_MAGIC));
        assertContains(e, badHeader.toString(), "unreadable gzip");
    }

    @Test
    void countMismatchNamesBothFilesAndCounts() throws IOException {
        Path img = dir.resolve("imgs");
        Path lab = dir.resolve("labs");
        IdxWriter.writeImages(img, pixels(5), N, R, C, false);
        IdxWriter.writeLabels(lab, Arrays.copyOf(labels(), N - 1), false);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.checkSameCount(
                IdxReader.readHeader(img, IdxReader.IMAGES_MAGIC), IdxReader.readHeader(lab, IdxReader.LABELS_MAGIC)));
        assertContains(e, img.toString(), lab.toString(), "has " + N + " images", "has " + (N - 1) + " labels");
    }

    @Test
    void writerChecksDimensionsAndStreamVariantMatchesFile() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> IdxWriter.writeImages(dir.resolve("x"), new byte[10], 2, 2, 2, false));
        var bytes = new java.io.ByteArrayOutputStream();
        IdxWriter.write(bytes, new int[]{2, 3}, new byte[]{1, 2, 3, 4, 5, 6}, false);
        assertArrayEquals(new byte[]{0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6}, bytes.toByteArray());
        try (IdxReader r = IdxReader.open(new ByteArrayInputStream(bytes.toByteArray()), "mem", IdxReader.ANY_UINT8)) {
            assertArrayEquals(new int[]{3}, r.header().recordDims());
            assertArrayEquals(new byte[]{1, 2, 3, 4, 5, 6}, r.readRemaining());
        }
        assertFalse(IdxReader.describeMagic(0x0803).isEmpty());
    }

    static void assertContains(Exception e, String... parts) {
        for (String s : parts) {
            assertTrue(e.getMessage().contains(s), "expected '" + s + "' in: " + e.getMessage());
        }
    }
}
