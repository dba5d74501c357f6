package org.ngvi.prep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;
import org.ngvi.prep.idx.IdxFormatException;
import org.ngvi.prep.idx.IdxWriter;

class PrepareIdxJobTest {
    private static final int N = 200;
    private static final int H = 28;
    private static final int W = 28;

    private static SparkSession spark;

    @TempDir
    Path tmp;
    private Path in;
    private Path outParent;
    private byte[] pixels;
    private byte[] labels;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("PrepareIdxJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @BeforeEach
    void generate() throws IOException {
        in = Files.createDirectory(tmp.resolve("in"));
        outParent = Files.createDirectory(tmp.resolve("datasets"));
        Random r = new Random(42);
        pixels = new byte[N * H * W];
        labels = new byte[N];
        for (int i = 0; i < N; i++) {
            labels[i] = (byte) r.nextInt(9); // labels 0..8: class_counts has 9 entries
            for (int k = 0; k < H * W; k++) {
                // a blob whose brightness depends on the label plus noise: not uniform, not constant
                int y = k / W, x = k % W;
                int v = (Math.abs(y - 14) + Math.abs(x - 14) < 6 + labels[i]) ? 150 + r.nextInt(100) : r.nextInt(30);
                pixels[i * H * W + k] = (byte) v;
            }
        }
    }

    private Path[] write(boolean gzip) throws IOException {
        Path img = in.resolve(gzip ? "images-idx3-ubyte.gz" : "images-idx3-ubyte");
        Path lab = in.resolve(gzip ? "labels-idx1-ubyte.gz" : "labels-idx1-ubyte");
        IdxWriter.writeImages(img, pixels, N, H, W, gzip);
        IdxWriter.writeLabels(lab, labels, gzip);
        return new Path[]{img, lab};
    }

    @Test
    void rawInputInThreePartitions() throws Exception {
        Path[] f = write(false);
        Path out = outParent.resolve("mnist");
        DatasetManifest m = PrepareIdxJob.run(spark, PrepareIdxParams.parse("--images", f[0].toString(), "--labels",
                f[1].toString(), "--out", out.toString(), "--partitions", "3"));
        checkDataset(out, m, f);
        List<Path> parts = partFiles(out);
        assertEquals(3, parts.size(), "one Parquet file per partition: " + parts);
        // part file i holds the contiguous index range of slice i, in order
        long expectedStart = 0;
        for (Path p : parts) {
            List<Long> idx = spark.read().parquet(p.toString()).select(ImageSchema.INDEX).collectAsList().stream()
                    .map(r -> r.getLong(0)).collect(Collectors.toList());
            for (int k = 0; k < idx.size(); k++) {
                assertEquals(expectedStart + k, idx.get(k), "row " + k + " of " + p.getFileName());
            }
            expectedStart += idx.size();
        }
        assertEquals(N, expectedStart);
    }

    @Test
    void gzippedInputThroughMainWithDefaultPartitions() throws Exception {
        Path[] f = write(true);
        Path out = outParent.resolve("mnist-gz");
        // main reuses the test's session (getOrCreate) and, not having created it, does not stop it
        CommandRun r = CommandRun.of("ngvi prepare idx", new PrepareIdxJob.Command(), "--images", f[0].toString(), "--labels",
                f[1].toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(spark.sparkContext().isStopped());
        DatasetManifest m = DatasetManifest.read(out);
        checkDataset(out, m, f);
        assertEquals(1, partFiles(out).size(), "200 small images make one file, not tiny ones");
        // same pixels and labels as raw input gives the same manifest apart from the sources
        Path[] raw = write(false);
        DatasetManifest mr = PrepareIdxJob.run(spark, new PrepareIdxParams(raw[0].toString(), raw[1].toString(),
                outParent.resolve("mnist-raw").toString(), false, 2));
        assertArrayEquals(m.channelMean(), mr.channelMean(), 0);
        assertArrayEquals(m.channelStd(), mr.channelStd(), 0);
        assertArrayEquals(m.classCounts(), mr.classCounts());
    }

    private void checkDataset(Path out, DatasetManifest m, Path[] inputs) throws Exception {
        assertEquals(List.of("mnist", "mnist-gz", "mnist-raw").stream().filter(n -> Files.exists(outParent.resolve(n)))
                .sorted().collect(Collectors.toList()), listing(outParent), "no temp directory left behind");
        // rows, labels and pixels exactly as written, in index order
        List<Row> rows = spark.read().parquet(out.toString()).orderBy(ImageSchema.INDEX).collectAsList();
        assertEquals(N, rows.size());
        for (int i = 0; i < N; i++) {
            Row r = rows.get(i);
            assertEquals(i, r.getLong(r.fieldIndex(ImageSchema.INDEX)));
            assertEquals(labels[i] & 0xff, r.getInt(r.fieldIndex(ImageSchema.LABEL)), "label of row " + i);
            assertEquals(H, r.getInt(r.fieldIndex(ImageSchema.HEIGHT)));
            assertEquals(W, r.getInt(r.fieldIndex(ImageSchema.WIDTH)));
            assertEquals(1, r.getInt(r.fieldIndex(ImageSchema.CHANNELS)));
            assertArrayEquals(Arrays.copyOfRange(pixels, i * H * W, (i + 1) * H * W),
                    (byte[]) r.get(r.fieldIndex(ImageSchema.IMAGE)), "pixels of row " + i);
        }
        // every manifest field, against independently computed values
        assertEquals(m, DatasetManifest.read(out));
        assertEquals(DatasetManifest.FORMAT_VERSION, m.formatVersion());
        assertTrue(m.createdBy().contains("PrepareIdxJob"), m.createdBy());
        assertEquals(N, m.rows());
        assertArrayEquals(new int[]{H, W, 1}, m.shape());
        long[] counts = new long[9];
        for (byte l : labels) {
            counts[l]++;
        }
        assertArrayEquals(counts, m.classCounts());
        assertEquals(List.of(), m.classNames());
        double sum = 0;
        for (byte b : pixels) {
            sum += b & 0xff;
        }
        double mean = sum / pixels.length;
        double ss = 0;
        for (byte b : pixels) {
            ss += ((b & 0xff) - mean) * ((b & 0xff) - mean);
        }
        assertEquals(mean, m.channelMean()[0], 1e-9);
        assertEquals(Math.sqrt(ss / pixels.length), m.channelStd()[0], 1e-9);
        assertEquals(2, m.sources().size());
        for (int k = 0; k < 2; k++) {
            assertEquals("file:" + inputs[k].toAbsolutePath(), m.sources().get(k).path());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(inputs[k]))),
                    m.sources().get(k).sha256());
        }
    }

    @Test
    void badInputsFailFastNamingTheFileAndLeaveNothing() throws IOException {
        Path[] good = write(false);
        Path[] gz = write(true);
        Path truncImages = in.resolve("trunc-images");
        Files.write(truncImages, Arrays.copyOf(Files.readAllBytes(good[0]), 16 + 5000));
        Path truncLabels = in.resolve("trunc-labels");
        Files.write(truncLabels, Arrays.copyOf(Files.readAllBytes(good[1]), 8 + 150));
        Path fewerLabels = in.resolve("fewer-labels");
        IdxWriter.writeLabels(fewerLabels, Arrays.copyOf(labels, N - 1), false);
        Path corruptGz = in.resolve("corrupt-images.gz");
        byte[] g = Files.readAllBytes(gz[0]);
        for (int i = g.length / 3; i < g.length / 2; i++) {
            g[i] ^= 0x5a;
        }
        Files.write(corruptGz, g);

        assertFails(good[1], good[1], "same file");
        assertJobFails(good[1], good[1].resolveSibling("labels-idx1-ubyte.gz"), good[1], "expected 0x00000803", "found 0x00000801");
        assertJobFails(truncImages, good[1], truncImages, "truncated", "expected " + N * H * W + " bytes of data", "found only 5000");
        assertJobFails(good[0], truncLabels, truncLabels, "truncated", "expected " + N + " bytes of data", "found only 150");
        assertJobFails(good[0], fewerLabels, fewerLabels, "count mismatch", good[0].toString(), N + " images", (N - 1) + " labels");
        assertJobFails(corruptGz, gz[1], corruptGz, "unreadable gzip");
        assertJobFails(in.resolve("missing"), good[1], in.resolve("missing"), "does not exist");
    }

    private void assertFails(Path images, Path labels, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepareIdxJob.run(spark,
                new PrepareIdxParams(images.toString(), labels.toString(), outParent.resolve("x").toString(), false, 0)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private void assertJobFails(Path images, Path labels, Path named, String... parts) throws IOException {
        Path out = outParent.resolve("bad");
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> PrepareIdxJob.run(spark,
                new PrepareIdxParams(images.toString(), labels.toString(), out.toString(), false, 0)));
        assertTrue(e.getMessage().contains(named.toString()), "file name in: " + e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
        assertEquals(List.of(), listing(outParent), "nothing at --out and no temp dir after: " + e.getMessage());
    }

    @Test
    void existingOutputNeedsOverwriteAndIsReplacedOnlyWhenComplete() throws Exception {
        Path[] f = write(false);
        Path out = Files.createDirectory(outParent.resolve("ds"));
        Path marker = Files.writeString(out.resolve("old.txt"), "old");
        PrepareIdxParams noOverwrite = new PrepareIdxParams(f[0].toString(), f[1].toString(), out.toString(), false, 2);
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> PrepareIdxJob.run(spark, noOverwrite));
        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("--overwrite"), e.getMessage());
        assertTrue(Files.exists(marker));

        // a failure after the new dataset is complete, just before the rename: the old output stays
        PrepareIdxParams overwrite = new PrepareIdxParams(f[0].toString(), f[1].toString(), out.toString(), true, 2);
        assertThrows(IllegalStateException.class, () -> PrepareIdxJob.run(spark, overwrite, () -> {
            throw new IllegalStateException("injected");
        }));
        assertTrue(Files.exists(marker), "old output kept when the new one failed");
        assertEquals(List.of("ds"), listing(outParent));

        DatasetManifest m = PrepareIdxJob.run(spark, overwrite);
        assertFalse(Files.exists(marker), "old output replaced");
        assertEquals(m, DatasetManifest.read(out));
        assertEquals(N, spark.read().parquet(out.toString()).count());
        assertEquals(List.of("ds"), listing(outParent), "no temp or backup directory left");
    }

    @Test
    void failureBeforePublishLeavesNoOutputAndNoTempDir() throws Exception {
        Path[] f = write(false);
        Path out = outParent.resolve("never");
        boolean[] sawTemp = {false};
        RuntimeException e = assertThrows(RuntimeException.class, () -> PrepareIdxJob.run(spark,
                new PrepareIdxParams(f[0].toString(), f[1].toString(), out.toString(), false, 2), () -> {
                    // the complete dataset exists in the temp dir at this point
                    try (Stream<Path> s = Files.list(outParent)) {
                        List<Path> temps = s.filter(p -> p.getFileName().toString().startsWith("never.tmp-")).toList();
                        sawTemp[0] = temps.size() == 1 && Files.exists(temps.get(0).resolve(DatasetManifest.FILE_NAME));
                    } catch (IOException io) {
                        throw new RuntimeException(io);
                    }
                    throw new RuntimeException("injected failure");
                }));
        assertEquals("injected failure", e.getMessage());
        assertTrue(sawTemp[0], "the temp dir with its manifest existed before the failure");
        assertEquals(List.of(), listing(outParent));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static List<Path> partFiles(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().startsWith("part-") && p.toString().endsWith(".parquet"))
                    .sorted().collect(Collectors.toList());
        }
    }
}
