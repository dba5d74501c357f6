package org.ngvi.spark.continual;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ngvi.random.Seeds;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.data.ImageDataset;

/**
 * The inputs of continual-learning task t: every image's pixels under one fixed permutation π_t
 * (permuted MNIST, Goodfellow et al. 2013; Kirkpatrick et al. 2017), output pixel i = input
 * pixel π_t(i). Task 1 is the identity (the prepared set as it is); task t ≥ 2 is a Fisher–Yates
 * shuffle of the H·W positions drawn from {@link Seeds#taskPermutation}(seed, t), so it depends on
 * nothing but (seed, t): the same on every executor, in every run. Applied on the executors as an
 * {@link ImageDataset.ExampleTransform}; only one-channel images (the permutation is of pixels).
 *
 * @param task   t ≥ 1
 * @param source π_t: output position i takes input position {@code source[i]}
 */
public record TaskPermutation(int task, int[] source) implements ImageDataset.ExampleTransform {
    public TaskPermutation {
        source = source.clone();
    }

    /** π_t for images of {@code pixels} positions. */
    public static TaskPermutation of(long seed, int task, int pixels) {
        if (task < 1) {
            throw new IllegalArgumentException("task numbers start at 1 (got " + task + ")");
        }
        if (pixels < 1) {
            throw new IllegalArgumentException("an image needs at least one pixel (got " + pixels + ")");
        }
        int[] p = new int[pixels];
        for (int i = 0; i < pixels; i++) {
            p[i] = i;
        }
        if (task > 1) {
            SplittableRandom rng = new SplittableRandom(Seeds.taskPermutation(seed, task));
            for (int i = pixels - 1; i > 0; i--) {
                int k = rng.nextInt(i + 1);
                int t = p[i];
                p[i] = p[k];
                p[k] = t;
            }
        }
        return new TaskPermutation(task, p);
    }

    @Override
    public int[] source() {
        return source.clone();
    }

    public boolean isIdentity() {
        for (int i = 0; i < source.length; i++) {
            if (source[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** {@code e} with its pixels permuted (same index and label). */
    @Override
    public Example apply(Example e) {
        byte[] in = e.image();
        if (in.length != source.length) {
            throw new IllegalArgumentException("row " + e.index() + ": image has " + in.length
                    + " bytes, the permutation of task " + task + " is of " + source.length + " pixels");
        }
        byte[] out = new byte[in.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = in[source[i]];
        }
        return new Example(e.index(), e.label(), out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskPermutation p && p.task == task && Arrays.equals(p.source, source);
    }

    @Override
    public int hashCode() {
        return 31 * task + Arrays.hashCode(source);
    }

    @Override
    public String toString() {
        return "TaskPermutation[task=" + task + ", " + (isIdentity() ? "identity" : "permuted") + " " + source.length + " pixels]";
    }
}
