package org.ngvi.prep.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.prep.CommandRun;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;

/**
 * Writes real-format CIFAR-10 and CIFAR-100 binary folders with a few records per file and checks
 * every row, pixel and manifest field of the prepared datasets against values computed here.
 */
class PrepareCifarJobTest {
    /** Records per CIFAR-10 file: data_batch_1..5, test_batch (unequal, so slices cross file boundaries). */
    private static final int[] CIFAR10_RECORDS = {3, 5, 2, 4, 6, 7};
    private static final int CIFAR100_TRAIN = 11;
    private static final int CIFAR100_TEST = 5;
    private static final List<String> CIFAR10_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private static SparkSession spark;

    @TempDir
    Path tmp;
    private Path outParent;
    private Random random;

    /** One generated record: its label bytes (CIFAR-100: coarse, fine) and its CHW pixels. */
    private record Rec(int[] labels, byte[] chw) {
    }

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("PrepareCifarJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @BeforeEach
    void setUp() throws IOException {
        outParent = Files.createDirectory(tmp.resolve("datasets"));
        random = new Random(7);
    }

    private Rec record(int... labels) {
        byte[] chw = new byte[3072];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < 1024; p++) {
                // channel-dependent ranges so the three channel statistics differ
                chw[c * 1024 + p] = (byte) (c * 70 + random.nextInt(60 + 20 * c)); // channel c in [70c, 70c + 59 + 20c], at most 239
            }
        }
        return new Rec(labels, chw);
    }

    private static byte[] bytesOf(List<Rec> recs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (Rec r : recs) {
            for (int l : r.labels) {
                o.write(l);
            }
            o.writeBytes(r.chw);
        }
        return o.toByteArray();
    }

    /** A CIFAR-10 folder; returns the records per file in batch order (5 train files, then test). */
    private List<List<Rec>> writeCifar10(Path dir, boolean meta) throws IOException {
        Files.createDirectories(dir);
        List<String> names = CifarFormat.CIFAR_10.dataFiles();
        List<List<Rec>> files = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            List<Rec> recs = new ArrayList<>();
            for (int k = 0; k < CIFAR10_RECORDS[f]; k++) {
                recs.add(record(f == 0 && k == 0 ? 9 : random.nextInt(9))); // label 9 appears; class 8 maybe not
            }
            Files.write(dir.resolve(names.get(f)), bytesOf(recs));
            files.add(recs);
        }
        if (meta) {
            // like the real file: names then blank lines
            Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", CIFAR10_NAMES) + "\n\n\n");
        }
        return files;
    }

    /** A CIFAR-100 folder with both names files; returns [train records, test records]. */
    private List<List<Rec>> writeCifar100(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<List<Rec>> files = new ArrayList<>();
        int[] counts = {CIFAR100_TRAIN, CIFAR100_TEST};
        for (int f = 0; f < 2; f++) {
            List<Rec> recs = new ArrayList<>();
            for (int k = 0; k < counts[f]; k++) {
                recs.add(f == 0 && k == 0 ? record(19, 99) : record(random.nextInt(20), random.nextInt(100)));
            }
            Files.write(dir.resolve(f == 0 ? "train.bin" : "test.bin"), bytesOf(recs));
            files.add(recs);
        }
        Files.writeString(dir.resolve("fine_label_names.txt"),
                IntStream.range(0, 100).mapToObj(i -> "fine_" + i).collect(Collectors.joining("\n", "", "\n")));
        Files.writeString(dir.resolve("coarse_label_names.txt"),
                IntStream.range(0, 20).mapToObj(i -> "coarse_" + i + (i == 3 ? "\n\n" : "\n")).collect(Collectors.joining()));
        return files;
    }

    @Test
    void cifar10InThreePartitionsAcrossFileBoundaries() throws Exception {
        Path in = tmp.resolve("cifar-10-batches-bin");
        List<List<Rec>> files = writeCifar10(in, true);
        Path out = outParent.resolve("cifar10");
        PreparedCifar p = PrepareCifarJob.run(spark, PrepareCifarParams.parse("--in", in.toString(), "--out", out.toString(),
                "--partitions", "3"));
        assertEquals(CifarFormat.CIFAR_10, p.format());
        assertEquals(List.of("cifar10"), listing(outParent), "no temp directory left behind");
        assertEquals(List.of("test", "train"), listing(out));

        List<Rec> train = files.subList(0, 5).stream().flatMap(List::stream).collect(Collectors.toList());
        List<Path> trainSources = CifarFormat.CIFAR_10.trainFiles().stream().map(in::resolve).collect(Collectors.toList());
        trainSources.add(in.resolve("batches.meta.txt"));
        checkSplit(out.resolve("train"), p.train(), train, 0, 10, CIFAR10_NAMES, trainSources);
        checkSplit(out.resolve("test"), p.test(), files.get(5), 0, 10, CIFAR10_NAMES,
                List.of(in.resolve("test_batch.bin"), in.resolve("batches.meta.txt")));

        // part file i holds slice i: contiguous index ranges in order, 18 records cut into 3 files across 5 batch files
        for (String split : List.of("train", "test")) {
            List<Path> parts = partFiles(out.resolve(split));
            assertEquals(3, parts.size(), split + ": " + parts);
            long expected = 0;
            for (Path part : parts) {
                for (Row r : spark.read().parquet(part.toString()).select(ImageSchema.INDEX).collectAsList()) {
                    assertEquals(expected++, r.getLong(0), "row order in " + part.getFileName());
                }
            }
            assertEquals(split.equals("train") ? train.size() : files.get(5).size(), expected);
        }
    }

    @Test
    void cifar100FineThroughMainAndCoarse() throws Exception {
        Path in = tmp.resolve("cifar-100-binary");
        List<List<Rec>> files = writeCifar100(in);
        Path fine = outParent.resolve("fine");
        // main reuses the test's session (getOrCreate) and, not having created it, does not stop it
        CommandRun r = CommandRun.of("ngvi prepare cifar", new PrepareCifarJob.Command(), "--in", in.toString(), "--out", fine.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(spark.sparkContext().isStopped());
        List<String> fineNames = IntStream.range(0, 100).mapToObj(i -> "fine_" + i).collect(Collectors.toList());
        checkSplit(fine.resolve("train"), DatasetManifest.read(fine.resolve("train")), files.get(0), 1, 100, fineNames,
                List.of(in.resolve("train.bin"), in.resolve("fine_label_names.txt")));
        checkSplit(fine.resolve("test"), DatasetManifest.read(fine.resolve("test")), files.get(1), 1, 100, fineNames,
                List.of(in.resolve("test.bin"), in.resolve("fine_label_names.txt")));

        Path coarse = outParent.resolve("coarse");
        PreparedCifar p = PrepareCifarJob.run(spark, new PrepareCifarParams(in.toString(), coarse.toString(),
                CifarLabel.COARSE, false, 2));
        assertEquals(CifarFormat.CIFAR_100, p.format());
        assertEquals(CifarLabel.COARSE, p.label());
        List<String> coarseNames = IntStream.range(0, 20).mapToObj(i -> "coarse_" + i).collect(Collectors.toList());
        checkSplit(coarse.resolve("train"), p.train(), files.get(0), 0, 20, coarseNames,
                List.of(in.resolve("train.bin"), in.resolve("coarse_label_names.txt")));
        checkSplit(coarse.resolve("test"), p.test(), files.get(1), 0, 20, coarseNames,
                List.of(in.resolve("test.bin"), in.resolve("coarse_label_names.txt")));
        // same pixels whichever label is chosen
        assertArrayEquals(DatasetManifest.read(fine.resolve("train")).channelMean(), p.train().channelMean(), 0);
        assertArrayEquals(DatasetManifest.read(fine.resolve("train")).channelStd(), p.train().channelStd(), 0);
    }

    @Test
    void withoutMetaFileThereAreNoClassNames() throws Exception {
        Path in = tmp.resolve("plain");
        List<List<Rec>> files = writeCifar10(in, false);
        PreparedCifar p = PrepareCifarJob.run(spark, new PrepareCifarParams(in.toString(), outParent.resolve("o").toString(),
                CifarLabel.FINE, false, 1));
        assertEquals(List.of(), p.train().classNames());
        assertEquals(files.get(5).size(), p.test().rows());
        assertEquals(5, p.train().sources().size(), "the five batch files, no names file");
    }

    /**
     * Checks a prepared split: every row, label and pixel against the generated records, and every
     * manifest field against values computed here.
     */
    private void checkSplit(Path dir, DatasetManifest m, List<Rec> recs, int labelByte, int classes, List<String> names,
                            List<Path> sources) throws Exception {
        // sorted here rather than by orderBy: a few rows, no shuffle job
        List<Row> rows = new ArrayList<>(spark.read().parquet(dir.toString()).collectAsList());
        rows.sort(java.util.Comparator.comparingLong(r -> r.getLong(r.fieldIndex(ImageSchema.INDEX))));
        assertEquals(recs.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            Rec rec = recs.get(i);
            assertEquals(i, r.getLong(r.fieldIndex(ImageSchema.INDEX)));
            assertEquals(rec.labels[labelByte], r.getInt(r.fieldIndex(ImageSchema.LABEL)), "label of row " + i);
            assertEquals(32, r.getInt(r.fieldIndex(ImageSchema.HEIGHT)));
            assertEquals(32, r.getInt(r.fieldIndex(ImageSchema.WIDTH)));
            assertEquals(3, r.getInt(r.fieldIndex(ImageSchema.CHANNELS)));
            byte[] hwc = (byte[]) r.get(r.fieldIndex(ImageSchema.IMAGE));
            assertEquals(3072, hwc.length);
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    for (int c = 0; c < 3; c++) {
                        int chw = c * 1024 + y * 32 + x;
                        if (hwc[ImageSchema.hwcOffset(y, x, c, 32, 3)] != rec.chw[chw]) {
                            throw new AssertionError("row " + i + " pixel (y=" + y + ", x=" + x + ", c=" + c + ")");
                        }
                    }
                }
            }
        }
        assertEquals(m, DatasetManifest.read(dir));
        assertEquals(DatasetManifest.FORMAT_VERSION, m.formatVersion());
        assertTrue(m.createdBy().contains("PrepareCifarJob"), m.createdBy());
        assertEquals(recs.size(), m.rows());
        assertArrayEquals(new int[]{32, 32, 3}, m.shape());
        long[] counts = new long[classes];
        for (Rec r : recs) {
            counts[r.labels[labelByte]]++;
        }
        assertArrayEquals(counts, m.classCounts());
        assertEquals(names, m.classNames());
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (Rec r : recs) {
                for (int p = 0; p < 1024; p++) {
                    sum += r.chw[c * 1024 + p] & 0xff;
                }
            }
            double mean = sum / (recs.size() * 1024.0);
            double ss = 0;
            for (Rec r : recs) {
                for (int p = 0; p < 1024; p++) {
                    double d = (r.chw[c * 1024 + p] & 0xff) - mean;
                    ss += d * d;
                }
            }
            assertEquals(mean, m.channelMean()[c], 1e-9, "mean of channel " + c);
            assertEquals(Math.sqrt(ss / (recs.size() * 1024.0)), m.channelStd()[c], 1e-9, "std of channel " + c);
        }
        assertTrue(m.channelMean()[0] + 50 < m.channelMean()[1] && m.channelMean()[1] + 50 < m.channelMean()[2],
                "channels kept apart (a CHW/HWC mix-up would average them): " + Arrays.toString(m.channelMean()));
        assertEquals(sources.size(), m.sources().size());
        for (int k = 0; k < sources.size(); k++) {
            assertEquals("file:" + sources.get(k).toAbsolutePath(), m.sources().get(k).path());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(sources.get(k)))),
                    m.sources().get(k).sha256());
        }
    }

    @Test
    void badFilesFailOnTheDriverNamingTheFileAndLeaveNothing() throws Exception {
        Path in10 = tmp.resolve("c10");
        writeCifar10(in10, true);
        Path batch3 = in10.resolve("data_batch_3.bin");
        byte[] good3 = Files.readAllBytes(batch3);
        Files.write(batch3, Arrays.copyOf(good3, good3.length - 100));
        assertJobFails(in10, CifarLabel.FINE, batch3.toString(), "size " + (good3.length - 100) + " bytes",
                "record size 3073 bytes", "truncated");
        Files.write(batch3, new byte[0]);
        assertJobFails(in10, CifarLabel.FINE, batch3.toString(), "is empty");
        Files.write(batch3, good3);
        byte[] bad = good3.clone();
        bad[3073] = 10; // label of record 1
        Files.write(batch3, bad);
        assertJobFails(in10, CifarLabel.FINE, batch3.toString(), "record 1", "label 10, expected 0..9");
        Files.write(batch3, good3);
        Files.writeString(in10.resolve("batches.meta.txt"), "airplane\n\nautomobile\n");
        assertJobFails(in10, CifarLabel.FINE, in10.resolve("batches.meta.txt").toString(), "has 2 class names, expected 10");

        Path in100 = tmp.resolve("c100");
        writeCifar100(in100);
        Path train = in100.resolve("train.bin");
        byte[] good = Files.readAllBytes(train);
        Files.write(train, Arrays.copyOf(good, good.length + 3073)); // CIFAR-10-sized records appended
        assertJobFails(in100, CifarLabel.FINE, train.toString(), "not a multiple of the CIFAR-100 record size 3074 bytes");
        bad = good.clone();
        bad[2 * 3074 + 1] = 100; // fine label of record 2: checked whichever label is chosen
        Files.write(train, bad);
        assertJobFails(in100, CifarLabel.COARSE, train.toString(), "record 2", "fine label 100, expected 0..99");
        bad = good.clone();
        bad[4 * 3074] = 20;
        Files.write(train, bad);
        assertJobFails(in100, CifarLabel.FINE, train.toString(), "record 4", "coarse label 20, expected 0..19");
    }

    @Test
    void missingOrMixedFilesAreClearErrors() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertJobFails(empty, CifarLabel.FINE, empty.toString(), "neither CIFAR-10", "nor CIFAR-100", "data_batch_1.bin", "train.bin");
        assertJobFails(tmp.resolve("absent"), CifarLabel.FINE, tmp.resolve("absent").toString(), "does not exist");

        Path in10 = tmp.resolve("c10");
        writeCifar10(in10, true);
        byte[] batch4 = Files.readAllBytes(in10.resolve("data_batch_4.bin"));
        Files.delete(in10.resolve("data_batch_4.bin"));
        assertJobFails(in10, CifarLabel.FINE, in10.toString(), "looks like CIFAR-10", "misses [data_batch_4.bin]");
        Files.write(in10.resolve("data_batch_4.bin"), batch4);
        Files.write(in10.resolve("test.bin"), new byte[3074]);
        assertJobFails(in10, CifarLabel.FINE, in10.toString(), "both CIFAR-10", "CIFAR-100 [test.bin]");
        Files.delete(in10.resolve("test.bin"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepareCifarJob.run(spark,
                new PrepareCifarParams(in10.toString(), outParent.resolve("x").toString(), CifarLabel.COARSE, false, 0)));
        assertTrue(e.getMessage().contains("--labels coarse applies to CIFAR-100 only"), e.getMessage());
        assertEquals(List.of(), listing(outParent));
    }

    private void assertJobFails(Path in, CifarLabel label, String named, String... parts) throws IOException {
        Path out = outParent.resolve("bad");
        CifarFormatException e = assertThrows(CifarFormatException.class, () -> PrepareCifarJob.run(spark,
                new PrepareCifarParams(in.toString(), out.toString(), label, false, 0)));
        assertTrue(e.getMessage().contains(named), "expected the name " + named + " in: " + e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
        assertEquals(List.of(), listing(outParent), "nothing at --out and no temp dir after: " + e.getMessage());
    }

    @Test
    void existingOutputNeedsOverwriteAndIsReplacedOnlyWhenComplete() throws Exception {
        Path in = tmp.resolve("c10");
        List<List<Rec>> files = writeCifar10(in, true);
        Path out = Files.createDirectory(outParent.resolve("ds"));
        Path marker = Files.writeString(out.resolve("old.txt"), "old");
        PrepareCifarParams noOverwrite = new PrepareCifarParams(in.toString(), out.toString(), CifarLabel.FINE, false, 2);
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> PrepareCifarJob.run(spark, noOverwrite));
        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("--overwrite"), e.getMessage());
        assertTrue(Files.exists(marker));

        // a failure once both splits are complete, just before the rename: the old output stays, no temp dir
        PrepareCifarParams overwrite = new PrepareCifarParams(in.toString(), out.toString(), CifarLabel.FINE, true, 2);
        boolean[] sawTemp = {false};
        assertThrows(IllegalStateException.class, () -> PrepareCifarJob.run(spark, overwrite, () -> {
            try (Stream<Path> s = Files.list(outParent)) {
                List<Path> temps = s.filter(p -> p.getFileName().toString().startsWith("ds.tmp-")).toList();
                sawTemp[0] = temps.size() == 1 && Files.exists(temps.get(0).resolve("train").resolve(DatasetManifest.FILE_NAME))
                        && Files.exists(temps.get(0).resolve("test").resolve(DatasetManifest.FILE_NAME));
            } catch (IOException io) {
                throw new RuntimeException(io);
            }
            throw new IllegalStateException("injected");
        }));
        assertTrue(sawTemp[0], "both splits and manifests existed in the temp dir before the failure");
        assertTrue(Files.exists(marker), "old output kept when the new one failed");
        assertEquals(List.of("ds"), listing(outParent));

        PreparedCifar p = PrepareCifarJob.run(spark, overwrite);
        assertFalse(Files.exists(marker), "old output replaced");
        assertEquals(List.of("test", "train"), listing(out));
        assertEquals(p.train(), DatasetManifest.read(out.resolve("train")));
        assertEquals(files.get(5).size(), spark.read().parquet(out.resolve("test").toString()).count());
        assertEquals(List.of("ds"), listing(outParent), "no temp or backup directory left");
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().collect(Collectors.toList());
        }
    }

    private static List<Path> partFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("part-") && p.toString().endsWith(".parquet"))
                    .sorted().collect(Collectors.toList());
        }
    }
}
