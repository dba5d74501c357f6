package org.ngvi.prep.imagefolder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
import org.ngvi.prep.CommandRun;
import org.ngvi.data.DatasetManifest;
import org.ngvi.data.ImageSchema;

/**
 * Generates an ImageNet-style tree with ImageIO (JPEG and PNG, non-square sizes, grey, alpha,
 * CMYK, a corrupt and a truncated file, a flat val/ with a labels file) and checks every row,
 * label, pixel and manifest field of the prepared splits against values computed here.
 */
class PrepareImageFolderJobTest {
    private static final int RESIZE = 32;
    private static final int CROP = 24;
    private static final List<String> CLASSES = List.of("cat", "dog", "zebra");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SparkSession spark;

    @TempDir
    Path tmp;
    private Path outParent;

    /** How a generated file's prepared pixels are checked. */
    private enum Kind {
        /** lossless source: the reference resize of the generated pixels, to rounding */
        PNG,
        /** the reference resize of ImageIO's decode of the file, to rounding, and close to the generated pixels */
        JPEG,
        /** solid colour {@link #CMYK_RGB} within JPEG error */
        CMYK,
        /** not decodable: skipped */
        BAD
    }

    private static final int[] CMYK_STORED = {250, 128, 30, 200};
    /** Adobe (inverted) CMYK → RGB: C·K/255 etc. */
    private static final double[] CMYK_RGB = {250 * 200 / 255.0, 128 * 200 / 255.0, 30 * 200 / 255.0};

    /** A generated image: path relative to the tree, generated pixels, file bytes, check kind, class. */
    private record Img(String rel, int[][][] source, byte[] bytes, Kind kind, int label) {
    }

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("PrepareImageFolderJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @BeforeEach
    void setUp() throws IOException {
        outParent = Files.createDirectory(tmp.resolve("datasets"));
    }

    private static Img png(String rel, int[][][] px, int label) throws IOException {
        return new Img(rel, px, TestImages.encode(TestImages.rgb(px), "png"), Kind.PNG, label);
    }

    private static Img jpeg(String rel, int[][][] px, int label) throws IOException {
        return new Img(rel, px, TestImages.encode(TestImages.rgb(px), "jpeg"), Kind.JPEG, label);
    }

    /** The train images in expected row order (class, then folder, then name). */
    private static List<Img> trainImages() throws IOException {
        List<Img> t = new ArrayList<>();
        t.add(jpeg("train/cat/a_solid.JPEG", TestImages.solid(300, 200, 200, 40, 90), 0));
        t.add(png("train/cat/b_gradient.png", TestImages.gradient(120, 90), 0));
        byte[] garbage = new byte[2000];
        new Random(11).nextBytes(garbage);
        t.add(new Img("train/cat/c_corrupt.JPEG", null, garbage, Kind.BAD, 0));
        t.add(jpeg("train/cat/nested/d.jpg", TestImages.blobs(64, 80, 1), 0));
        int[][] grey = new int[50][70];
        int[][][] greyRgb = new int[50][70][];
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 70; x++) {
                grey[y][x] = (x * 3 + y * 2) % 256;
                greyRgb[y][x] = new int[]{grey[y][x], grey[y][x], grey[y][x]};
            }
        }
        t.add(new Img("train/dog/e_gray.PNG", greyRgb, TestImages.greyPng(grey), Kind.PNG, 1));
        byte[] whole = TestImages.encode(TestImages.rgb(TestImages.blobs(200, 150, 2)), "jpeg");
        t.add(new Img("train/dog/f_truncated.jpeg", null, Arrays.copyOf(whole, whole.length * 6 / 10), Kind.BAD, 1));
        t.add(jpeg("train/dog/g.jpg", TestImages.blobs(50, 100, 3), 1));
        int[][][] alpha = TestImages.gradient(40, 40);
        t.add(new Img("train/zebra/h_alpha.png", alpha, TestImages.rgbaPng(alpha), Kind.PNG, 2));
        t.add(new Img("train/zebra/i_cmyk.jpg", null, TestImages.fourComponentJpeg(48, 40, CMYK_STORED, 0), Kind.CMYK, 2));
        return t;
    }

    /** The val images in name order, with their classes. */
    private static List<Img> valImages() throws IOException {
        return List.of(jpeg("val/v1.JPEG", TestImages.blobs(90, 60, 4), 1), png("val/v2.png", TestImages.gradient(33, 47), 0),
                jpeg("val/v3.JPEG", TestImages.blobs(40, 40, 5), 2), png("val/v4.png", TestImages.blobs(25, 30, 6), 0));
    }

    private static final String VAL_LABELS = "# labels of val/\nv2.png cat\nv1.JPEG,dog\nv3,zebra 0 0 10 10\n\nv4.png\tcat\n";

    /** Writes the tree: train with ignored extras, and a flat val/ with val_labels.txt. */
    private Path writeTree(String name) throws IOException {
        Path in = tmp.resolve(name);
        for (Img i : trainImages()) {
            write(in.resolve(i.rel()), i.bytes());
        }
        write(in.resolve("train/dog/notes.txt"), "not an image".getBytes(StandardCharsets.UTF_8));
        write(in.resolve("train/dog/._g.jpg"), new byte[]{0, 5, 22, 7}); // macOS AppleDouble file: hidden, ignored
        write(in.resolve("train/.cache/x.jpg"), new byte[]{1}); // hidden folder: not a class
        for (Img i : valImages()) {
            write(in.resolve(i.rel()), i.bytes());
        }
        Files.writeString(in.resolve("val_labels.txt"), VAL_LABELS);
        return in;
    }

    private static void write(Path p, byte[] bytes) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    private PrepareImageFolderParams params(Path in, Path out, ImageStore store, int partitions) {
        return new PrepareImageFolderParams(in.toString(), out.toString(), RESIZE, CROP, store, null, false, partitions, null);
    }

    @Test
    void preparesTrainAndFlatValCheckingEveryPixelAndManifestField() throws Exception {
        Path in = writeTree("tree");
        Path out = outParent.resolve("ds");
        PreparedImageFolder p = PrepareImageFolderJob.run(spark, params(in, out, ImageStore.PIXELS, 0));
        assertEquals(CLASSES, p.classNames());
        assertEquals(List.of("ds"), listing(outParent), "no temp directory left behind");
        assertEquals(List.of("train", "val"), listing(out));

        checkSplit(in, out.resolve("train"), p.train(), trainImages(), new long[]{3, 2, 2}, null);
        assertEquals(List.of(new SkippedImage("file:" + in.resolve("train/cat/c_corrupt.JPEG"),
                p.train().skipped().get(0).reason()), new SkippedImage("file:" + in.resolve("train/dog/f_truncated.jpeg"),
                p.train().skipped().get(1).reason())), p.train().skipped());
        assertTrue(p.train().skipped().get(0).reason().contains("not an image format ImageIO can decode"),
                p.train().skipped().get(0).reason());
        assertTrue(p.train().skipped().get(1).reason().contains("truncated jpeg"), p.train().skipped().get(1).reason());

        checkSplit(in, out.resolve("val"), p.val(), valImages(), new long[]{2, 1, 1}, in.resolve("val_labels.txt"));
        assertEquals(List.of(), p.val().skipped());
    }

    @Test
    void valClassFoldersUseTheTrainMappingAndMainReusesTheSession() throws Exception {
        Path in = tmp.resolve("folders");
        for (Img i : trainImages()) {
            write(in.resolve(i.rel()), i.bytes());
        }
        List<Img> val = new ArrayList<>();
        for (Img i : valImages()) {
            val.add(new Img(i.rel().replace("val/", "val/" + CLASSES.get(i.label()) + "/"), i.source(), i.bytes(), i.kind(), i.label()));
        }
        val.sort(Comparator.comparingInt(Img::label)); // cat: v2, v4; dog: v1; zebra: v3
        for (Img i : val) {
            write(in.resolve(i.rel()), i.bytes());
        }
        Path out = outParent.resolve("folders");
        CommandRun r = CommandRun.of("ngvi prepare imagefolder", new PrepareImageFolderJob.Command(), "--in", in.toString(), "--out",
                out.toString(), "--resize", "" + RESIZE, "--crop", "" + CROP, "--master", "local[2]");
        assertEquals(0, r.code(), r.err());
        assertFalse(spark.sparkContext().isStopped(), "main did not stop the session it did not create");
        checkSplit(in, out.resolve("val"), null, val, new long[]{2, 1, 1}, null);
    }

    /**
     * Checks a prepared split: indices (listing positions, skipped ones absent), labels, pixels
     * against the reference resize, statistics, sources, listing digest and the extra manifest keys.
     */
    private void checkSplit(Path in, Path dir, PreparedSplit prepared, List<Img> imgs, long[] counts, Path labelsFile)
            throws Exception {
        List<Row> rows = sortedRows(dir);
        List<Integer> decodable = new ArrayList<>();
        for (int k = 0; k < imgs.size(); k++) {
            if (imgs.get(k).kind() != Kind.BAD) {
                decodable.add(k);
            }
        }
        assertEquals(decodable.size(), rows.size());
        double[] sum = new double[3];
        double[] sumSq = new double[3];
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            Img img = imgs.get(decodable.get(r));
            String what = dir.getFileName() + " row " + r + " (" + img.rel() + ")";
            assertEquals((long) decodable.get(r), row.getLong(row.fieldIndex(ImageSchema.INDEX)), what + ": index = listing position");
            assertEquals(img.label(), row.getInt(row.fieldIndex(ImageSchema.LABEL)), what);
            assertEquals(CROP, row.getInt(row.fieldIndex(ImageSchema.HEIGHT)));
            assertEquals(CROP, row.getInt(row.fieldIndex(ImageSchema.WIDTH)));
            assertEquals(3, row.getInt(row.fieldIndex(ImageSchema.CHANNELS)));
            byte[] hwc = (byte[]) row.get(row.fieldIndex(ImageSchema.IMAGE));
            checkPixels(img, hwc, what);
            for (int q = 0; q < hwc.length; q++) {
                int v = hwc[q] & 0xff;
                sum[q % 3] += v;
                sumSq[q % 3] += (double) v * v;
            }
        }
        DatasetManifest m = DatasetManifest.read(dir);
        if (prepared != null) {
            assertEquals(prepared.manifest(), m);
        }
        assertTrue(m.createdBy().contains("PrepareImageFolderJob"), m.createdBy());
        assertEquals(rows.size(), m.rows());
        assertArrayEquals(new int[]{CROP, CROP, 3}, m.shape());
        assertArrayEquals(counts, m.classCounts());
        assertEquals(CLASSES, m.classNames());
        double pixels = rows.size() * (double) CROP * CROP;
        for (int c = 0; c < 3; c++) {
            double mean = sum[c] / pixels;
            assertEquals(mean, m.channelMean()[c], 1e-9, "mean of channel " + c);
            assertEquals(Math.sqrt(sumSq[c] / pixels - mean * mean), m.channelStd()[c], 1e-9, "std of channel " + c);
        }
        // listing digest from the files, computed here
        MessageDigest listing = MessageDigest.getInstance("SHA-256");
        for (Img img : imgs) {
            byte[] b = Files.readAllBytes(in.resolve(img.rel()));
            listing.update((img.rel() + "\t" + b.length + "\t" + sha256(b) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String digest = HexFormat.of().formatHex(listing.digest());
        String splitDir = "file:" + in.resolve(dir.getFileName().toString());
        List<DatasetManifest.Source> sources = new ArrayList<>(List.of(new DatasetManifest.Source(splitDir, digest)));
        if (labelsFile != null) {
            sources.add(new DatasetManifest.Source("file:" + labelsFile, sha256(Files.readAllBytes(labelsFile))));
        }
        assertEquals(sources, m.sources());

        JsonNode json = JSON.readTree(Files.readString(dir.resolve(DatasetManifest.FILE_NAME)));
        assertEquals("pixels", json.get("store").asText());
        assertEquals(RESIZE, json.get("resize").asInt());
        assertEquals(CROP, json.get("crop").asInt());
        assertEquals(imgs.size(), json.get("listed_files").asInt());
        assertEquals(digest, json.get("listing_digest").asText());
        List<String> skipped = new ArrayList<>();
        json.get("skipped").forEach(s -> skipped.add(s.get("path").asText()));
        assertEquals(imgs.stream().filter(i -> i.kind() == Kind.BAD).map(i -> "file:" + in.resolve(i.rel())).collect(Collectors.toList()),
                skipped);
        if (prepared != null) {
            assertEquals(digest, prepared.listingDigest());
            assertEquals(imgs.size(), prepared.listedFiles());
        }
    }

    private static void checkPixels(Img img, byte[] hwc, String what) throws IOException {
        switch (img.kind()) {
            case PNG -> TestImages.assertMatchesReference(hwc, TestImages.referenceResizeCrop(img.source(), RESIZE, CROP), what);
            case JPEG -> {
                TestImages.assertMatchesReference(hwc,
                        TestImages.referenceResizeCrop(TestImages.decodeWithImageIo(img.bytes()), RESIZE, CROP), what);
                double err = TestImages.maxDifference(hwc, TestImages.referenceResizeCrop(img.source(), RESIZE, CROP));
                assertTrue(err < 24, what + ": within JPEG error of the generated pixels, max |error| " + err);
                if (img.rel().contains("solid")) {
                    assertTrue(err <= 3, what + ": solid colour kept, max |error| " + err);
                }
            }
            case CMYK -> {
                for (int q = 0; q < hwc.length; q++) {
                    assertEquals(CMYK_RGB[q % 3], hwc[q] & 0xff, 3, what + ": CMYK → RGB at byte " + q);
                }
            }
            case BAD -> throw new AssertionError(what + " should have been skipped");
        }
    }

    @Test
    void twoRunsAndAnyPartitioningGiveIdenticalRowsAndManifests() throws Exception {
        Path in = writeTree("tree");
        Path a = outParent.resolve("a");
        Path b = outParent.resolve("b");
        PrepareImageFolderJob.run(spark, params(in, a, ImageStore.PIXELS, 0));
        PreparedImageFolder pb = PrepareImageFolderJob.run(spark, params(in, b, ImageStore.PIXELS, 3));
        for (String split : List.of("train", "val")) {
            List<Row> ra = sortedRows(a.resolve(split));
            List<Row> rb = sortedRows(b.resolve(split));
            assertEquals(ra.size(), rb.size());
            for (int i = 0; i < ra.size(); i++) {
                assertEquals(ra.get(i).getLong(0), rb.get(i).getLong(0));
                assertEquals(ra.get(i).getInt(1), rb.get(i).getInt(1));
                assertArrayEquals((byte[]) ra.get(i).get(2), (byte[]) rb.get(i).get(2), split + " row " + i);
            }
            assertEquals(Files.readString(a.resolve(split).resolve(DatasetManifest.FILE_NAME)),
                    Files.readString(b.resolve(split).resolve(DatasetManifest.FILE_NAME)), split + " manifest");
        }
        // 9 listed train images in 3 slices: part file k holds indices [3k, 3k+3) minus the skipped 2 and 5
        List<Path> parts = partFiles(b.resolve("train"));
        assertEquals(3, parts.size(), parts.toString());
        List<List<Long>> indices = new ArrayList<>();
        for (Path part : parts) {
            indices.add(spark.read().parquet(part.toString()).select(ImageSchema.INDEX).collectAsList().stream()
                    .map(r -> r.getLong(0)).collect(Collectors.toList()));
        }
        assertEquals(List.of(List.of(0L, 1L), List.of(3L, 4L), List.of(6L, 7L, 8L)), indices);
        assertEquals(2, pb.train().skipped().size());
    }

    @Test
    void encodedStoreHoldsJpegOrPngOfTheSameCrops() throws Exception {
        Path in = writeTree("tree");
        Path pixels = outParent.resolve("pixels");
        Path encoded = outParent.resolve("encoded");
        PreparedImageFolder pp = PrepareImageFolderJob.run(spark, params(in, pixels, ImageStore.PIXELS, 0));
        PreparedImageFolder pe = PrepareImageFolderJob.run(spark, params(in, encoded, ImageStore.ENCODED, 0));
        assertEquals(ImageStore.ENCODED, pe.store());
        for (String split : List.of("train", "val")) {
            List<Row> rp = sortedRows(pixels.resolve(split));
            List<Row> re = sortedRows(encoded.resolve(split));
            assertEquals(rp.size(), re.size());
            List<Img> imgs = split.equals("train") ? trainImages() : valImages();
            for (int i = 0; i < rp.size(); i++) {
                Row e = re.get(i);
                long index = e.getLong(e.fieldIndex(ImageSchema.INDEX));
                assertEquals(rp.get(i).getLong(0), index);
                Img img = imgs.get((int) index);
                String format = e.getString(e.fieldIndex(PrepareImageFolderJob.FORMAT_COLUMN));
                assertEquals(img.kind() == Kind.PNG ? "png" : "jpeg", format, img.rel());
                byte[] stored = (byte[]) e.get(e.fieldIndex(ImageSchema.IMAGE));
                RgbImage decoded = ImageDecoder.decode(stored);
                assertEquals(CROP, decoded.width());
                assertEquals(CROP, decoded.height());
                byte[] raw = (byte[]) rp.get(i).get(rp.get(i).fieldIndex(ImageSchema.IMAGE));
                if (format.equals("png")) {
                    assertArrayEquals(raw, decoded.pixels(), img.rel() + ": PNG is lossless");
                } else {
                    double abs = 0;
                    for (int q = 0; q < raw.length; q++) {
                        abs += Math.abs((raw[q] & 0xff) - (decoded.pixels()[q] & 0xff));
                    }
                    assertTrue(abs / raw.length < 8, img.rel() + ": JPEG q90 (4:2:0 chroma, so coarse on a 24×24 crop) close to the crop, mean |error| " + abs / raw.length);
                }
            }
            JsonNode json = JSON.readTree(Files.readString(encoded.resolve(split).resolve(DatasetManifest.FILE_NAME)));
            assertEquals("encoded", json.get("store").asText());
            DatasetManifest mp = (split.equals("train") ? pp.train() : pp.val()).manifest();
            DatasetManifest me = (split.equals("train") ? pe.train() : pe.val()).manifest();
            assertEquals(me, DatasetManifest.read(encoded.resolve(split)));
            assertArrayEquals(mp.classCounts(), me.classCounts());
            assertEquals(mp.sources(), me.sources());
            assertArrayEquals(mp.channelMean(), me.channelMean(), 2.0, "statistics of the decoded JPEGs are close");
        }
    }

    @Test
    void badTreesAreClearErrorsNamingTheFolderOrFileAndLeaveNothing() throws Exception {
        Path in = writeTree("tree");
        Files.createDirectories(in.resolve("train/empty_class/sub"));
        Files.writeString(in.resolve("train/empty_class/readme.txt"), "no images");
        assertFails(in, in.resolve("train/empty_class").toString(), "holds no images", "every class folder needs at least one");
        deleteTree(in.resolve("train/empty_class"));

        Files.writeString(in.resolve("val_labels.txt"), VAL_LABELS.replace("v1.JPEG,dog", "v1.JPEG,wolf"));
        assertFails(in, in.resolve("val_labels.txt").toString(), "line 3 'v1.JPEG,wolf'", "class 'wolf' is not one of the 3 train classes");
        Files.writeString(in.resolve("val_labels.txt"), VAL_LABELS.replace("v4.png\tcat\n", ""));
        assertFails(in, in.resolve("val_labels.txt").toString(), "has no line for 1 of the 4 images in val/: v4.png");
        Files.writeString(in.resolve("val_labels.txt"), VAL_LABELS + "v5.png cat\n");
        assertFails(in, in.resolve("val_labels.txt").toString(), "line 7", "names 'v5.png', which is not an image file");
        Files.delete(in.resolve("val_labels.txt"));
        assertFails(in, in.resolve("val").toString(), "there is no labels file", "val_labels.txt or LOC_val_solution.csv");
        Files.writeString(in.resolve("val_labels.txt"), VAL_LABELS);
        Files.writeString(in.resolve("LOC_val_solution.csv"), "ImageId,PredictionString\n");
        assertFails(in, in.toString(), "holds both val_labels.txt and LOC_val_solution.csv");
        Files.delete(in.resolve("LOC_val_solution.csv"));

        write(in.resolve("val/cat/v9.png"), valImages().get(1).bytes());
        assertFails(in, in.resolve("val").toString(), "mixes class folders (cat) and image files (v1.JPEG, v2.png");
        deleteTree(in.resolve("val"));
        write(in.resolve("val/wolf/v9.png"), valImages().get(1).bytes());
        assertFails(in, in.resolve("val/wolf").toString(), "is not a train class");
        deleteTree(in.resolve("val"));
        Files.createDirectories(in.resolve("val"));
        assertFails(in, in.resolve("val").toString(), "holds no images");
        deleteTree(in.resolve("val"));

        write(in.resolve("train/stray.jpg"), valImages().get(0).bytes());
        assertFails(in, in.resolve("train").toString(), "holds image files outside class folders", "stray.jpg");
        Path empty = Files.createDirectories(tmp.resolve("empty/train"));
        assertFails(empty.getParent(), empty.toString(), "has no class folders");
        assertFails(tmp.resolve("nothing"), tmp.resolve("nothing").toString(), "does not exist");
        Path noTrain = Files.createDirectories(tmp.resolve("notrain/val"));
        assertFails(noTrain.getParent(), noTrain.getParent().toString(), "has no train/ folder");

        Path allBad = tmp.resolve("allbad");
        write(allBad.resolve("train/a/x.jpg"), new byte[]{1, 2, 3});
        write(allBad.resolve("train/b/y.png"), new byte[0]);
        assertFails(allBad, allBad.resolve("train").toString(), "none of its 2 images could be decoded");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PrepareImageFolderJob.run(spark,
                new PrepareImageFolderParams(in.toString(), outParent.resolve("x").toString(), 100, 101, ImageStore.PIXELS,
                        null, false, 0, null)));
        assertTrue(e.getMessage().contains("--crop 101 is larger than --resize 100"), e.getMessage());
        assertEquals(List.of(), listing(outParent));
    }

    private void assertFails(Path in, String named, String... parts) throws IOException {
        Path out = outParent.resolve("bad");
        ImageFolderFormatException e = assertThrows(ImageFolderFormatException.class,
                () -> PrepareImageFolderJob.run(spark, params(in, out, ImageStore.PIXELS, 0)));
        assertTrue(e.getMessage().contains(named), "expected the name " + named + " in: " + e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "expected '" + p + "' in: " + e.getMessage());
        }
        assertEquals(List.of(), listing(outParent), "nothing at --out and no temp dir after: " + e.getMessage());
    }

    @Test
    void bothSplitsArePublishedTogetherOnlyWhenComplete() throws Exception {
        Path in = writeTree("tree");
        Path out = Files.createDirectory(outParent.resolve("ds"));
        Path marker = Files.writeString(out.resolve("old.txt"), "old");
        assertThrows(FileAlreadyExistsException.class, () -> PrepareImageFolderJob.run(spark, params(in, out, ImageStore.PIXELS, 0)));
        PrepareImageFolderParams overwrite = new PrepareImageFolderParams(in.toString(), out.toString(), RESIZE, CROP,
                ImageStore.PIXELS, null, true, 0, null);
        boolean[] sawTemp = {false};
        assertThrows(IllegalStateException.class, () -> PrepareImageFolderJob.run(spark, overwrite, () -> {
            try (Stream<Path> s = Files.list(outParent)) {
                List<Path> temps = s.filter(p -> p.getFileName().toString().startsWith("ds.tmp-")).toList();
                sawTemp[0] = temps.size() == 1 && Files.exists(temps.get(0).resolve("train").resolve(DatasetManifest.FILE_NAME))
                        && Files.exists(temps.get(0).resolve("val").resolve(DatasetManifest.FILE_NAME));
            } catch (IOException io) {
                throw new RuntimeException(io);
            }
            throw new IllegalStateException("injected");
        }));
        assertTrue(sawTemp[0], "both splits with manifests were in the temp dir before the failure");
        assertTrue(Files.exists(marker), "old output kept when the new one failed");
        assertEquals(List.of("ds"), listing(outParent));
        PreparedImageFolder p = PrepareImageFolderJob.run(spark, overwrite);
        assertFalse(Files.exists(marker));
        assertEquals(List.of("train", "val"), listing(out));
        assertEquals(p.val().manifest(), DatasetManifest.read(out.resolve("val")));

        // without val/, only train is written
        deleteTree(in.resolve("val"));
        Files.delete(in.resolve("val_labels.txt"));
        PreparedImageFolder t = PrepareImageFolderJob.run(spark, params(in, outParent.resolve("trainonly"), ImageStore.PIXELS, 0));
        assertNull(t.val());
        assertEquals(List.of("train"), listing(outParent.resolve("trainonly")));
    }

    private static List<Row> sortedRows(Path dir) {
        List<Row> rows = new ArrayList<>(spark.read().parquet(dir.toString()).collectAsList());
        rows.sort(Comparator.comparingLong(r -> r.getLong(r.fieldIndex(ImageSchema.INDEX))));
        return rows;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
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

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
