package org.ngvi.spark.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.ngvi.prep.PrepareIdxJob;
import org.ngvi.prep.PrepareIdxParams;
import org.ngvi.prep.idx.IdxWriter;

/**
 * A small learnable image set written in the real on-disk format (gzipped IDX) and prepared
 * into Parquet by the real job: class c ∈ [0, classes) is a bright 4×4 patch at a class-specific
 * place on a noisy 12×12 background, so a network can learn it but not trivially.
 */
public final class SyntheticImages {
    public static final int SIZE = 12;

    private SyntheticImages() {
    }

    /** Writes IDX files for {@code n} images and prepares them into {@code dir/name}; returns the Parquet dir. */
    public static Path prepare(SparkSession spark, Path dir, String name, int n, int classes, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[][] images = new byte[n][SIZE * SIZE];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(classes);
            labels[i] = (byte) c;
            for (int p = 0; p < SIZE * SIZE; p++) {
                images[i][p] = (byte) rng.nextInt(90);
            }
            int y0 = (c / 3) * 4 % (SIZE - 3);
            int x0 = (c % 3) * 4;
            for (int dy = 0; dy < 4; dy++) {
                for (int dx = 0; dx < 4; dx++) {
                    if (rng.nextDouble() < 0.8) {
                        images[i][(y0 + dy) * SIZE + x0 + dx] = (byte) (150 + rng.nextInt(100));
                    }
                }
            }
        }
        Path imagesFile = dir.resolve(name + "-images-idx3-ubyte.gz");
        Path labelsFile = dir.resolve(name + "-labels-idx1-ubyte.gz");
        IdxWriter.writeImages(imagesFile, images, SIZE, SIZE, true);
        IdxWriter.writeLabels(labelsFile, labels, true);
        Path out = dir.resolve(name);
        PrepareIdxJob.run(spark, new PrepareIdxParams(imagesFile.toString(), labelsFile.toString(), out.toString(), false, 2).validate());
        return out;
    }

    /** A local SparkSession for tests (UI off, few shuffle partitions). */
    public static SparkSession spark(String master) {
        return SparkSession.builder().master(master).appName("ngvi-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }
}
