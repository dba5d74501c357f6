package org.ngvi.spark.plot;

import java.util.ArrayList;
import java.util.List;
import org.jfree.data.xy.XYSeries;

/**
 * The iso-line {f = level} of a field on a {@link RegularGrid} by marching squares: in every
 * cell, each edge whose end values straddle the level (one ≥ level, the other &lt; level) gets the
 * crossing point by linear interpolation, x = x_a + (level − f_a)/(f_b − f_a) · (x_b − x_a); a
 * cell with two crossings contributes one segment between them, a saddle cell (four crossings)
 * two, paired by the value at the cell centre (mean of the corners) so that the contour does not
 * cross itself. The result is exact for fields that are linear along cell edges. JFreeChart has no
 * contour plot; {@link #series} hands the segments to it as a line series.
 */
public final class ContourLine {
    /** A line segment in data coordinates. */
    public record Segment(double x1, double y1, double x2, double y2) {
        public double length() {
            return Math.hypot(x2 - x1, y2 - y1);
        }
    }

    private ContourLine() {
    }

    /** The segments of {f = level}; NaN values make their cells empty. */
    public static List<Segment> segments(RegularGrid grid, double[] f, double level) {
        grid.requireField(f, "contour field");
        int nx = grid.nx();
        List<Segment> out = new ArrayList<>();
        double[] ex = new double[4];
        double[] ey = new double[4];
        for (int j = 0; j + 1 < grid.ny(); j++) {
            double y0 = grid.y(j);
            double y1 = grid.y(j + 1);
            for (int i = 0; i + 1 < nx; i++) {
                double a = f[j * nx + i];          // (x0, y0)
                double b = f[j * nx + i + 1];      // (x1, y0)
                double c = f[(j + 1) * nx + i + 1]; // (x1, y1)
                double d = f[(j + 1) * nx + i];    // (x0, y1)
                if (Double.isNaN(a) || Double.isNaN(b) || Double.isNaN(c) || Double.isNaN(d)) {
                    continue;
                }
                boolean ia = a >= level;
                boolean ib = b >= level;
                boolean ic = c >= level;
                boolean id = d >= level;
                if (ia == ib && ib == ic && ic == id) {
                    continue;
                }
                double x0 = grid.x(i);
                double x1 = grid.x(i + 1);
                // edges: 0 bottom a-b, 1 right b-c, 2 top d-c, 3 left a-d
                boolean[] has = {ia != ib, ib != ic, id != ic, ia != id};
                if (has[0]) {
                    ex[0] = lerp(x0, x1, a, b, level);
                    ey[0] = y0;
                }
                if (has[1]) {
                    ex[1] = x1;
                    ey[1] = lerp(y0, y1, b, c, level);
                }
                if (has[2]) {
                    ex[2] = lerp(x0, x1, d, c, level);
                    ey[2] = y1;
                }
                if (has[3]) {
                    ex[3] = x0;
                    ey[3] = lerp(y0, y1, a, d, level);
                }
                if (has[0] && has[1] && has[2] && has[3]) {
                    boolean centre = (a + b + c + d) / 4 >= level;
                    if (centre == ia) {
                        // a and c joined through the centre: cut off b (edges 0, 1) and d (edges 2, 3)
                        out.add(new Segment(ex[0], ey[0], ex[1], ey[1]));
                        out.add(new Segment(ex[2], ey[2], ex[3], ey[3]));
                    } else {
                        // b and d joined: cut off a (edges 0, 3) and c (edges 1, 2)
                        out.add(new Segment(ex[0], ey[0], ex[3], ey[3]));
                        out.add(new Segment(ex[1], ey[1], ex[2], ey[2]));
                    }
                } else {
                    int first = -1;
                    for (int e = 0; e < 4; e++) {
                        if (has[e]) {
                            if (first < 0) {
                                first = e;
                            } else {
                                out.add(new Segment(ex[first], ey[first], ex[e], ey[e]));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The point between p0 (value f0) and p1 (value f1) where the linear interpolant equals level. */
    private static double lerp(double p0, double p1, double f0, double f1, double level) {
        double t = (level - f0) / (f1 - f0);
        return p0 + t * (p1 - p0);
    }

    /**
     * The segments as one chart series: each segment's two end points followed by a break (y =
     * NaN), in order. An {@code XYLineAndShapeRenderer} with {@code setDrawSeriesLineAsPath(true)}
     * draws it as ONE path (a translucent colour is composited once, without dark dots where
     * segments meet) and lifts the pen at every break.
     */
    public static XYSeries series(Comparable<?> key, List<Segment> segments) {
        XYSeries s = new XYSeries(key, false, true);
        for (Segment seg : segments) {
            s.add(seg.x1(), seg.y1(), false);
            s.add(seg.x2(), seg.y2(), false);
            s.add(seg.x2(), Double.NaN, false);
        }
        s.fireSeriesChanged();
        return s;
    }
}
