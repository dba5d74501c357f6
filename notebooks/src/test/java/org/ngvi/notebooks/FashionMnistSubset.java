package org.ngvi.notebooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ngvi.prep.idx.IdxReader;
import org.ngvi.prep.idx.IdxWriter;

/**
 * The first images of the real Fashion-MNIST IDX files, written as IDX files of the same names, so
 * the notes run their real code on data small enough for CI.
 */
final class FashionMnistSubset {
    /** Where {@code bin/setup} installs Fashion-MNIST (Debian's dataset-fashion-mnist). */
    static final Path INSTALLED = Path.of("/usr/share/datasets/fashion-mnist");

    private FashionMnistSubset() {
    }

    /** Writes {@code train} training and {@code test} test images from {@code source} into {@code dir}; returns {@code dir}. */
    static Path write(Path source, Path dir, int train, int test) throws IOException {
        if (!Files.isRegularFile(source.resolve("train-images-idx3-ubyte.gz"))) {
            throw new IOException("Fashion-MNIST not found in " + source + ": the notebook tests run the notes on a subset of it; "
                    + "install it with bin/setup (Debian's dataset-fashion-mnist)");
        }
        Files.createDirectories(dir);
        copy(source, dir, "train", train);
        copy(source, dir, "t10k", test);
        return dir;
    }

    private static void copy(Path source, Path dir, String prefix, int n) throws IOException {
        byte[][] images;
        int rows;
        int cols;
        try (IdxReader r = IdxReader.open(source.resolve(prefix + "-images-idx3-ubyte.gz"), IdxReader.IMAGES_MAGIC)) {
            int[] dims = r.header().recordDims();
            rows = dims[0];
            cols = dims[1];
            images = new byte[n][rows * cols];
            for (byte[] image : images) {
                r.readRecord(image);
            }
        }
        byte[] labels = new byte[n];
        try (IdxReader r = IdxReader.open(source.resolve(prefix + "-labels-idx1-ubyte.gz"), IdxReader.LABELS_MAGIC)) {
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) r.readLabel();
            }
        }
        IdxWriter.writeImages(dir.resolve(prefix + "-images-idx3-ubyte.gz"), images, rows, cols, true);
        IdxWriter.writeLabels(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), labels, true);
    }
}
