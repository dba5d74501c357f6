package org.ngvi.spark.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;

/**
 * Vertical bars on an {@link Axes}. A bar covers the data rectangle [x0, x1] × [y0, y1]; it is
 * filled, then outlined, and clipped to the plot area. Bars of consecutive bins with edges
 * e_0 &lt; e_1 &lt; … &lt; e_n and heights h_i span [e_i, e_(i+1)] × [0, h_i] ({@link #draw}).
 */
public final class Bars {
    private Bars() {
    }

    /**
     * The pixel rectangle of the data rectangle [x0, x1] × [y0, y1] (either order of the
     * bounds): {@code [px(min x), px(max x)] × [py(max y), py(min y)]}.
     */
    public static Rectangle2D pixelRect(Axes axes, double x0, double x1, double y0, double y1) {
        double left = axes.px(Math.min(x0, x1));
        double right = axes.px(Math.max(x0, x1));
        double top = axes.py(Math.max(y0, y1));
        double bottom = axes.py(Math.min(y0, y1));
        return new Rectangle2D.Double(left, top, right - left, bottom - top);
    }

    /**
     * One bar over [x0, x1] × [y0, y1], filled with {@code fill} (a colour or any paint, e.g. a
     * {@link Hatch}) and outlined with {@code edge}
     * (either may be {@code null} to skip it).
     */
    public static void bar(Axes axes, double x0, double x1, double y0, double y1, Paint fill, Color edge) {
        Graphics2D g = axes.figure().graphics();
        Rectangle2D r = pixelRect(axes, x0, x1, y0, y1);
        axes.clip();
        if (fill != null) {
            g.setPaint(fill);
            g.fill(r);
        }
        if (edge != null) {
            g.setColor(edge);
            g.setStroke(new BasicStroke(1f));
            g.draw(r);
        }
        axes.unclip();
    }

    /**
     * Bars over consecutive bins: bar i spans [edges[i], edges[i+1]] × [0, heights[i]]; bars of
     * height 0 are not drawn.
     *
     * @throws IllegalArgumentException {@code edges} not one longer than {@code heights}, or not increasing
     */
    public static void draw(Axes axes, double[] edges, double[] heights, Color fill, Color edge) {
        checkEdges(edges, heights.length);
        for (int i = 0; i < heights.length; i++) {
            if (heights[i] != 0) {
                bar(axes, edges[i], edges[i + 1], 0, heights[i], fill, edge);
            }
        }
    }

    /** Equal-width bin edges lo + i (hi − lo)/n, i = 0..n. */
    public static double[] equalEdges(double lo, double hi, int bins) {
        if (bins < 1 || !(hi > lo)) {
            throw new IllegalArgumentException("bins need n >= 1 and lo < hi, got n = " + bins + ", [" + lo + ", " + hi + "]");
        }
        double[] e = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            e[i] = lo + (hi - lo) * i / bins;
        }
        return e;
    }

    static void checkEdges(double[] edges, int bins) {
        if (edges.length != bins + 1) {
            throw new IllegalArgumentException(bins + " bars need " + (bins + 1) + " bin edges, got " + edges.length);
        }
        for (int i = 0; i < bins; i++) {
            if (!(edges[i + 1] > edges[i])) {
                throw new IllegalArgumentException("bin edges must increase, got " + edges[i] + " then " + edges[i + 1]);
            }
        }
    }
}
