package org.ngvi.spark.plot;

/**
 * A regular 2D grid of nx × ny nodes at (x0 + i·step, y0 + j·step), i &lt; nx, j &lt; ny. A field on
 * it is a {@code double[nx·ny]} in row-major order with x fastest: value of node (i, j) at
 * {@code j·nx + i}.
 */
public record RegularGrid(double x0, double y0, double step, int nx, int ny) {
    public RegularGrid {
        if (!(step > 0) || nx < 2 || ny < 2) {
            throw new IllegalArgumentException("RegularGrid needs step > 0 and at least 2x2 nodes, got step "
                    + step + ", " + nx + "x" + ny);
        }
    }

    /**
     * The grid with nodes x0, x0 + step, ... strictly below xMax (numpy's
     * {@code arange(xMin, xMax, step)}), likewise in y.
     */
    public static RegularGrid covering(double xMin, double xMax, double yMin, double yMax, double step) {
        return new RegularGrid(xMin, yMin, step, count(xMin, xMax, step), count(yMin, yMax, step));
    }

    private static int count(double lo, double hi, double step) {
        return (int) Math.ceil((hi - lo) / step - 1e-9);
    }

    public int size() {
        return nx * ny;
    }

    public double x(int i) {
        return x0 + i * step;
    }

    public double y(int j) {
        return y0 + j * step;
    }

    public double xMax() {
        return x(nx - 1);
    }

    public double yMax() {
        return y(ny - 1);
    }

    /** Checks that {@code field} has one value per node. */
    public void requireField(double[] field, String what) {
        if (field.length != size()) {
            throw new IllegalArgumentException(what + " has " + field.length + " values but the grid has "
                    + nx + "x" + ny + " = " + size() + " nodes");
        }
    }
}
