package org.ngvi.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.ngvi.data.DatasetManifest;
import org.ngvi.prep.cifar.CifarLabel;
import org.ngvi.prep.cifar.PrepareCifarJob;
import org.ngvi.prep.cifar.PrepareCifarParams;

/**
 * A CIFAR-10-shaped data set for the reader benchmark: CIFAR-10 binary files (5 × 10,000 training
 * records of one label byte plus 32×32×3 CHW pixels, 1,000 test records) with random smooth
 * colour images, prepared by the real {@link PrepareCifarJob} into {@code out/train} and
 * {@code out/test}. Reused when {@code out/train} already holds a manifest; the raw binary files
 * are deleted once prepared.
 */
final class SyntheticCifar {
    static final int PER_FILE = 10_000;
    static final int TEST = 1_000;

    private SyntheticCifar() {
    }

    /** The prepared training split under {@code out}, writing it first when missing. */
    static Path prepare(SparkSession spark, Path out) throws IOException {
        Path train = out.resolve(PrepareCifarJob.TRAIN);
        if (Files.exists(train.resolve(DatasetManifest.FILE_NAME))) {
            return train;
        }
        Path raw = Files.createDirectories(out.resolveSibling(out.getFileName() + "-raw"));
        try {
            SplittableRandom rng = new SplittableRandom(2024);
            for (int f = 1; f <= 5; f++) {
                write(raw.resolve("data_batch_" + f + ".bin"), PER_FILE, rng);
            }
            write(raw.resolve("test_batch.bin"), TEST, rng);
            PrepareCifarJob.run(spark, new PrepareCifarParams(raw.toString(), out.toString(), CifarLabel.FINE, true, 0).validate());
        } finally {
            try (Stream<Path> files = Files.walk(raw)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return train;
    }

    /** {@code n} records: label, then per channel a 32×32 plane of a random linear gradient plus noise. */
    private static void write(Path file, int n, SplittableRandom rng) throws IOException {
        byte[] rec = new byte[1 + 3072];
        try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int i = 0; i < n; i++) {
                rec[0] = (byte) rng.nextInt(10);
                for (int c = 0; c < 3; c++) {
                    double base = rng.nextDouble(40, 200);
                    double gy = rng.nextDouble(-2, 2);
                    double gx = rng.nextDouble(-2, 2);
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            double v = base + gy * (y - 15.5) + gx * (x - 15.5) + rng.nextDouble(-20, 20);
                            rec[1 + c * 1024 + y * 32 + x] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
                        }
                    }
                }
                o.write(rec);
            }
        }
    }
}
