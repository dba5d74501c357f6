package org.ngvi.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.ngvi.prep.idx.IdxWriter;

/**
 * A small learnable image set shaped like Fashion-MNIST (28×28 grey, 10 classes), written as the gzipped IDX
 * files {@code ngvi prepare idx} reads: class c is a bright 6×6 patch at one of ten places on a noisy background
 * (each patch pixel bright with probability 0.8), so the network learns it but not in one step.
 */
final class FashionMnistShaped {
    static final int SIZE = 28;
    static final int CLASSES = 10;

    private FashionMnistShaped() {
    }

    /** The image and label files of one split. */
    record IdxFiles(Path images, Path labels) {
    }

    /** Writes {@code n} images and labels, {@code dir/NAME-images-idx3-ubyte.gz} and {@code -labels-idx1-ubyte.gz}. */
    static IdxFiles write(Path dir, String name, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[][] images = new byte[n][SIZE * SIZE];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(CLASSES);
            labels[i] = (byte) c;
            for (int p = 0; p < SIZE * SIZE; p++) {
                images[i][p] = (byte) rng.nextInt(100);
            }
            int y0 = 2 + (c / 5) * 12;
            int x0 = 1 + (c % 5) * 5;
            for (int dy = 0; dy < 6; dy++) {
                for (int dx = 0; dx < 6 && x0 + dx < SIZE; dx++) {
                    if (rng.nextDouble() < 0.8) {
                        images[i][(y0 + dy) * SIZE + x0 + dx] = (byte) (140 + rng.nextInt(110));
                    }
                }
            }
        }
        IdxFiles f = new IdxFiles(dir.resolve(name + "-images-idx3-ubyte.gz"), dir.resolve(name + "-labels-idx1-ubyte.gz"));
        IdxWriter.writeImages(f.images(), images, SIZE, SIZE, true);
        IdxWriter.writeLabels(f.labels(), labels, true);
        return f;
    }
}
