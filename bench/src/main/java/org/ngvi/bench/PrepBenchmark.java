package org.ngvi.bench;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.apache.spark.sql.SparkSession;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.prep.imagefolder.ImageDecoder;
import org.ngvi.prep.imagefolder.ImageStore;
import org.ngvi.prep.imagefolder.PrepareImageFolderJob;
import org.ngvi.prep.imagefolder.PrepareImageFolderParams;
import org.ngvi.prep.imagefolder.ResizeCrop;

/**
 * {@code bench/run --prep}: images/s of the prepare jobs end to end (listing or validation,
 * Spark tasks, Parquet write, read-back statistics, manifest, publish) on {@code local[*]}:
 * <ol>
 *   <li>the Fashion-MNIST training set (60,000 28×28 grey images, gzipped IDX) through
 *       {@link PrepareIdxJob};</li>
 *   <li>a generated ImageNet-style tree of {@value #CLASSES}×{@value #PER_CLASS} JPEGs (quality 90,
 *       random sizes {@value #MIN_SIDE}–{@value #MAX_SIDE} px per side, smooth colour fields plus
 *       noise so they compress like photos), written once into a temp folder, through
 *       {@link PrepareImageFolderJob} with {@code --resize 256 --crop 224}, storing pixels and
 *       storing encoded JPEGs;</li>
 *   <li>for scale, the same decode + resize + crop of every tree image in this one thread without
 *       Spark (the per-core work the job distributes).</li>
 * </ol>
 * Each job runs once to warm up, then {@value #RUNS} times; the median and range are printed.
 */
final class PrepBenchmark {
    private static final int CLASSES = 20;
    private static final int PER_CLASS = 100;
    private static final int MIN_SIDE = 300;
    private static final int MAX_SIDE = 500;
    private static final int RUNS = 3;

    private PrepBenchmark() {
    }

    static String run(Path fashionMnist) throws IOException {
        Path work = Files.createTempDirectory("ngvi-prep-bench");
        SparkSession spark = SparkSession.builder().master("local[*]").appName("ngvi-bench-prep")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "Prepare jobs end to end on %s (%d cores), median of %d runs after a warm-up (range in brackets)%n",
                    spark.sparkContext().master(), spark.sparkContext().defaultParallelism(), RUNS));
            Path images = fashionMnist.resolve("train-images-idx3-ubyte.gz");
            Path labels = fashionMnist.resolve("train-labels-idx1-ubyte.gz");
            double[] idx = time(RUNS, k -> PrepareIdxJob.run(spark, new PrepareIdxParams(images.toString(), labels.toString(),
                    work.resolve("fmnist").toString(), true, 0)).rows());
            out.append(line("Fashion-MNIST train, 60,000 28×28×1 (IDX gz), PrepareIdxJob", 60_000, idx));

            long t0 = System.nanoTime();
            Path tree = work.resolve("tree");
            long bytes = writeTree(tree);
            out.append(String.format(Locale.ROOT, "  (generated %d JPEGs, %d classes, %d–%d px per side, %.1f MB, in %.1f s)%n",
                    CLASSES * PER_CLASS, CLASSES, MIN_SIDE, MAX_SIDE, bytes / 1e6, (System.nanoTime() - t0) / 1e9));
            for (ImageStore store : ImageStore.values()) {
                double[] s = time(RUNS, k -> PrepareImageFolderJob.run(spark, new PrepareImageFolderParams(tree.toString(),
                        work.resolve("tree-" + store.flag()).toString(), 256, 224, store, null, true, 0, null)).train().manifest().rows());
                out.append(line("JPEG tree, " + CLASSES * PER_CLASS + " images → 224×224×3, PrepareImageFolderJob --store "
                        + store.flag(), CLASSES * PER_CLASS, s));
            }
            out.append(singleThread(tree));
            return out.toString();
        } finally {
            spark.stop();
            deleteTree(work);
        }
    }

    @FunctionalInterface
    private interface Job {
        long run(int k) throws IOException;
    }

    /** Seconds of {@code runs} timed runs after one warm-up run. */
    private static double[] time(int runs, Job job) throws IOException {
        job.run(-1);
        double[] s = new double[runs];
        for (int k = 0; k < runs; k++) {
            long t = System.nanoTime();
            job.run(k);
            s[k] = (System.nanoTime() - t) / 1e9;
        }
        return s;
    }

    private static String line(String what, int images, double[] seconds) {
        double[] sorted = seconds.clone();
        java.util.Arrays.sort(sorted);
        double med = sorted[sorted.length / 2];
        return String.format(Locale.ROOT, "  %-88s %8.0f images/s (%.0f–%.0f), %.2f s%n", what, images / med,
                images / sorted[sorted.length - 1], images / sorted[0], med);
    }

    /** Writes the tree (in parallel); returns its size in bytes. */
    private static long writeTree(Path tree) {
        return IntStream.range(0, CLASSES * PER_CLASS).parallel().mapToLong(i -> {
            Random r = new Random(1000L + i);
            int w = MIN_SIDE + r.nextInt(MAX_SIDE - MIN_SIDE + 1);
            int h = MIN_SIDE + r.nextInt(MAX_SIDE - MIN_SIDE + 1);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
            // channel c: 128 + 90·sin(fx·x + fy·y + φ) + uniform noise in [−12, 12], with sin(u + v) = sin u cos v + cos u sin v
            int[] noise = new int[w * h * 3];
            for (int k = 0; k < noise.length; k++) {
                noise[k] = r.nextInt(25) - 12;
            }
            for (int c = 0; c < 3; c++) {
                double fx = r.nextDouble() * 20 / w;
                double fy = r.nextDouble() * 15 / h;
                double phase = 6 * r.nextDouble();
                double[] sx = new double[w];
                double[] cx = new double[w];
                for (int x = 0; x < w; x++) {
                    sx[x] = Math.sin(fx * x);
                    cx[x] = Math.cos(fx * x);
                }
                for (int y = 0; y < h; y++) {
                    double sy = Math.sin(fy * y + phase);
                    double cy = Math.cos(fy * y + phase);
                    for (int x = 0; x < w; x++) {
                        int p = (y * w + x) * 3;
                        long v = Math.round(128 + 90 * (sx[x] * cy + cx[x] * sy)) + noise[p + c];
                        bgr[p + 2 - c] = (byte) Math.max(0, Math.min(255, v));
                    }
                }
            }
            try {
                Path f = tree.resolve(String.format("train/n%08d/img_%05d.JPEG", i % CLASSES, i));
                Files.createDirectories(f.getParent());
                byte[] b = jpeg(img);
                Files.write(f, b);
                return b.length;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).sum();
    }

    private static byte[] jpeg(BufferedImage img) throws IOException {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream o = new MemoryCacheImageOutputStream(bytes)) {
            w.setOutput(o);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.9f);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return bytes.toByteArray();
    }

    /** Decode + resize + crop of every tree image in this thread: the per-core work of the job. */
    private static String singleThread(Path tree) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(tree)) {
            files = s.filter(p -> p.toString().endsWith(".JPEG")).sorted().toList();
        }
        ResizeCrop t = new ResizeCrop(256, 224);
        double[] secs = new double[RUNS];
        long[] decodeNs = new long[1];
        for (int k = -1; k < RUNS; k++) {
            long start = System.nanoTime();
            long dec = 0;
            for (Path f : files) {
                byte[] b = Files.readAllBytes(f);
                long d0 = System.nanoTime();
                try {
                    org.ngvi.prep.imagefolder.RgbImage img = ImageDecoder.decode(b);
                    dec += System.nanoTime() - d0;
                    t.apply(img);
                } catch (org.ngvi.prep.imagefolder.UndecodableImageException e) {
                    throw new IOException(f + ": " + e.getMessage(), e);
                }
            }
            if (k >= 0) {
                secs[k] = (System.nanoTime() - start) / 1e9;
                decodeNs[0] += dec;
            }
        }
        double decodeShare = decodeNs[0] / 1e9 / java.util.Arrays.stream(secs).sum();
        return line("same JPEGs: read + decode + resize + crop in one thread, no Spark", files.size(), secs)
                + String.format(Locale.ROOT, "  (of which JPEG decoding %.0f%%)%n", 100 * decodeShare);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
