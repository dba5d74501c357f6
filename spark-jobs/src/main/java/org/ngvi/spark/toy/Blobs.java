package org.ngvi.spark.toy;

import java.util.SplittableRandom;

/**
 * Points from isotropic Gaussian blobs (as scikit-learn's {@code make_blobs}): {@code centres}
 * centres drawn uniformly in [−box, box]², {@code perBlob} points N(centre, std² I) each, in a
 * seeded random order. Blob b has label 1 iff b ≥ centres / 2, else 0 (5 blobs: 0–2 → 0,
 * 3–4 → 1, as the reference's {@code y[y >= centers/2] = 1}).
 *
 * @param x      point coordinates, {@code x[i] = {x₁, x₂}}
 * @param labels class of each point, 0 or 1
 * @param blob   the blob each point was drawn from
 * @param centres the blob centres
 */
public record Blobs(double[][] x, int[] labels, int[] blob, double[][] centres) {

    /** Draws the data set; the same arguments give the same points. */
    public static Blobs generate(int centres, int perBlob, double std, double box, long seed) {
        if (centres < 2 || perBlob < 1 || !(std > 0) || !(box > 0)) {
            throw new IllegalArgumentException("Blobs need >= 2 centres, >= 1 point per blob, std > 0 and box > 0, got "
                    + centres + ", " + perBlob + ", " + std + ", " + box);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] c = new double[centres][2];
        for (double[] ci : c) {
            ci[0] = -box + 2 * box * rng.nextDouble();
            ci[1] = -box + 2 * box * rng.nextDouble();
        }
        int n = centres * perBlob;
        double[][] x = new double[n][];
        int[] blob = new int[n];
        for (int b = 0, i = 0; b < centres; b++) {
            for (int k = 0; k < perBlob; k++, i++) {
                x[i] = new double[] {c[b][0] + std * rng.nextGaussian(), c[b][1] + std * rng.nextGaussian()};
                blob[i] = b;
            }
        }
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates: a fixed, mixed order for the batches
            int j = rng.nextInt(i + 1);
            double[] tx = x[i];
            x[i] = x[j];
            x[j] = tx;
            int tb = blob[i];
            blob[i] = blob[j];
            blob[j] = tb;
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = 2 * blob[i] >= centres ? 1 : 0;
        }
        return new Blobs(x, labels, blob, c);
    }

    public int size() {
        return x.length;
    }

    /** {min x₁, max x₁, min x₂, max x₂}. */
    public double[] bounds() {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] p : x) {
            b[0] = Math.min(b[0], p[0]);
            b[1] = Math.max(b[1], p[0]);
            b[2] = Math.min(b[2], p[1]);
            b[3] = Math.max(b[3], p[1]);
        }
        return b;
    }

    /** Coordinate {@code d} (0 or 1) of every point, in order. */
    public double[] coordinate(int d) {
        return java.util.Arrays.stream(x).mapToDouble(p -> p[d]).toArray();
    }

    /** Coordinate {@code d} (0 or 1) of the points with label {@code label}. */
    public double[] coordinate(int d, int label) {
        return java.util.stream.IntStream.range(0, size()).filter(i -> labels[i] == label).mapToDouble(i -> x[i][d]).toArray();
    }
}
