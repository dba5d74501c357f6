package org.ngvi.spark.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;

/**
 * A histogram drawn as a normalised density over equal-width bins of [lo, hi]: translucent
 * filled bars plus a step outline, so that several histograms (in-distribution and
 * out-of-distribution scores, say) can be overlaid and compared whatever their sizes. With counts
 * n_i, N = Σ n_i and bin width w = (hi − lo)/bins the density is
 * <pre>
 *   d_i = n_i / (N · w),     Σ_i d_i · w = 1
 * </pre>
 */
public final class Histogram {
    private Histogram() {
    }

    /** Densities n_i / (N w) of {@code counts} over equal bins of [lo, hi]; all 0 when N = 0. */
    public static double[] densities(long[] counts, double lo, double hi) {
        if (counts.length == 0 || !(hi > lo)) {
            throw new IllegalArgumentException("a histogram needs bins and lo < hi, got " + counts.length + " bins, ["
                    + lo + ", " + hi + "]");
        }
        long n = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative bin count " + c);
            }
            n += c;
        }
        double w = (hi - lo) / counts.length;
        double[] d = new double[counts.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = n == 0 ? 0 : counts[i] / (n * w);
        }
        return d;
    }

    /**
     * Draws densities {@code density} over equal bins of [lo, hi]: bars filled with {@code fill}
     * (use a translucent colour to overlay) and the outline (0 at lo, up and across each bin, down to
     * 0 at hi) stroked with {@code outline} at {@code width} pixels.
     */
    public static void draw(Axes axes, double lo, double hi, double[] density, Color fill, Color outline, float width) {
        double[] edges = Bars.equalEdges(lo, hi, density.length);
        Bars.draw(axes, edges, density, fill, null);
        Path2D.Double step = new Path2D.Double();
        step.moveTo(axes.px(lo), axes.py(0));
        for (int i = 0; i < density.length; i++) {
            step.lineTo(axes.px(edges[i]), axes.py(density[i]));
            step.lineTo(axes.px(edges[i + 1]), axes.py(density[i]));
        }
        step.lineTo(axes.px(hi), axes.py(0));
        Graphics2D g = axes.figure().graphics();
        axes.clip();
        g.setColor(outline);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        g.draw(step);
        axes.unclip();
    }
}
