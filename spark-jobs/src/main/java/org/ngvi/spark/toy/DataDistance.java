package org.ngvi.spark.toy;

/** Euclidean distance from query points to the nearest point of a data set (brute force). */
final class DataDistance {
    private DataDistance() {
    }

    /** d[i] = min over data points q of ‖(xs[i], ys[i]) − q‖. */
    static double[] toNearest(Blobs data, double[] xs, double[] ys) {
        double[] d = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (double[] q : data.x()) {
                double dx = xs[i] - q[0];
                double dy = ys[i] - q[1];
                best = Math.min(best, dx * dx + dy * dy);
            }
            d[i] = Math.sqrt(best);
        }
        return d;
    }
}
