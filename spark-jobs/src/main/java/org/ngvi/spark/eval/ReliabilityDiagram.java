package org.ngvi.spark.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.util.Locale;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.spark.plot.Axes;
import org.ngvi.spark.plot.Bars;
import org.ngvi.spark.plot.Figure;
import org.ngvi.spark.plot.Hatch;
import org.ngvi.spark.plot.Legend;

/**
 * A reliability diagram (Guo et al., ICML 2017) of merged {@link ClassificationMetrics}: for each
 * of the M equal-width confidence bins B_b = (b/M, (b+1)/M] holding n_b &gt; 0 examples, a bar of
 * height acc_b = (correct in B_b)/n_b and a hatched "gap" bar from acc_b to the bin's mean
 * confidence conf_b (above the bar when over-confident, over its top when under-confident), against the diagonal acc = conf of perfect calibration; the title carries
 * ECE = Σ_b (n_b/N) |acc_b − conf_b|. A second panel below shows the share n_b/N of examples per
 * bin as bars labelled with the count n_b.
 */
public final class ReliabilityDiagram {
    /** Figure size in pixels. */
    public static final int WIDTH = 660;
    public static final int HEIGHT = 720;

    static final int LEFT = 90;
    static final int TOP = 50;
    static final int PLOT_W = 520;
    static final int PLOT_H = 420;
    static final int COUNT_TOP = 550;
    static final int COUNT_H = 110;

    static final Color ACCURACY = new Color(0x1F77B4);
    static final Color GAP_EDGE = new Color(0xD62728);
    /** The gap between accuracy and mean confidence: red hatching, readable over white and over a bar. */
    static final Paint GAP = Hatch.of(GAP_EDGE, 6, 1.6f);
    static final Color COUNTS = new Color(0x7F7F7F);

    private ReliabilityDiagram() {
    }

    /** Mean accuracy per bin, NaN for empty bins. */
    public static double[] binAccuracy(ClassificationMetrics m) {
        long[] n = m.binCounts();
        long[] c = m.binCorrect();
        double[] a = new double[n.length];
        for (int b = 0; b < n.length; b++) {
            a[b] = n[b] == 0 ? Double.NaN : c[b] / (double) n[b];
        }
        return a;
    }

    /** Mean confidence per bin, NaN for empty bins. */
    public static double[] binConfidence(ClassificationMetrics m) {
        long[] n = m.binCounts();
        double[] s = m.binConfidenceSums();
        double[] a = new double[n.length];
        for (int b = 0; b < n.length; b++) {
            a[b] = n[b] == 0 ? Double.NaN : s[b] / n[b];
        }
        return a;
    }

    /** The main panel's axes on a figure of {@link #WIDTH} × {@link #HEIGHT}: confidence × accuracy in [0, 1]². */
    static Axes mainAxes(Figure f) {
        return new Axes(f, LEFT, TOP, PLOT_W, PLOT_H, 0, 1, 0, 1);
    }

    /** The count panel's axes: confidence × share of examples in [0, yMax]. */
    static Axes countAxes(Figure f, double yMax) {
        return new Axes(f, LEFT, COUNT_TOP, PLOT_W, COUNT_H, 0, 1, 0, yMax);
    }

    /** Share of the examples per bin above which the count panel's y axis ends (with room for labels). */
    static double countAxisMax(long[] counts) {
        long n = 0;
        long max = 0;
        for (long c : counts) {
            n += c;
            max = Math.max(max, c);
        }
        return n == 0 ? 1 : Math.min(1.0, max / (double) n * 1.3 + 0.02);
    }

    /**
     * Draws the diagram.
     *
     * @param label what was evaluated, for the title (e.g. {@code "adam on test"})
     */
    public static Figure render(ClassificationMetrics m, String label) {
        Figure f = new Figure(WIDTH, HEIGHT);
        int bins = m.bins();
        double[] edges = Bars.equalEdges(0, 1, bins);
        double[] acc = binAccuracy(m);
        double[] conf = binConfidence(m);
        long[] counts = m.binCounts();

        Axes a = mainAxes(f);
        a.grid();
        for (int b = 0; b < bins; b++) {
            if (counts[b] > 0) {
                Bars.bar(a, edges[b], edges[b + 1], 0, acc[b], ACCURACY, Color.BLACK);
            }
        }
        for (int b = 0; b < bins; b++) {
            if (counts[b] > 0 && conf[b] != acc[b]) {
                Bars.bar(a, edges[b], edges[b + 1], acc[b], conf[b], GAP, GAP_EDGE);
            }
        }
        Graphics2D g = f.graphics();
        Stroke dashed = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f);
        g.setColor(Color.DARK_GRAY);
        g.setStroke(dashed);
        g.draw(new Line2D.Double(a.px(0), a.py(0), a.px(1), a.py(1)));
        a.decorate(String.format(Locale.ROOT, "Reliability, %s (ECE %.4f)", label, m.result().ece()), null, "accuracy");
        new Legend().patch("accuracy", ACCURACY, Color.BLACK).patch("gap to mean confidence", GAP, GAP_EDGE)
                .line("perfect calibration", Color.DARK_GRAY, dashed).drawAvoiding(a, inkX(edges, acc, conf, counts),
                        inkY(edges, acc, conf, counts));

        long n = m.examples();
        double[] share = new double[bins];
        for (int b = 0; b < bins; b++) {
            share[b] = n == 0 ? 0 : counts[b] / (double) n;
        }
        Axes c = countAxes(f, countAxisMax(counts));
        Bars.draw(c, edges, share, COUNTS, Color.BLACK);
        labelCounts(f, c, edges, share, counts);
        c.decorate(null, "confidence", "share");
        return f;
    }

    private static final int INK_STEPS = 20;

    /** x of points covering the bars and the diagonal (where the legend should not go). */
    private static double[] inkX(double[] edges, double[] acc, double[] conf, long[] counts) {
        return ink(edges, acc, conf, counts, true);
    }

    /** y of the same points. */
    private static double[] inkY(double[] edges, double[] acc, double[] conf, long[] counts) {
        return ink(edges, acc, conf, counts, false);
    }

    private static double[] ink(double[] edges, double[] acc, double[] conf, long[] counts, boolean x) {
        java.util.List<double[]> pts = new java.util.ArrayList<>();
        for (int i = 0; i <= INK_STEPS; i++) {
            pts.add(new double[] {i / (double) INK_STEPS, i / (double) INK_STEPS});
        }
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                double top = Math.max(acc[b], conf[b]);
                double cx = (edges[b] + edges[b + 1]) / 2;
                for (int i = 0; i <= INK_STEPS; i++) {
                    pts.add(new double[] {cx, top * i / INK_STEPS});
                }
            }
        }
        double[] out = new double[pts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = pts.get(i)[x ? 0 : 1];
        }
        return out;
    }

    /** Count above each non-empty bar, in the largest font (≤ 11 pt) that fits the bar's width. */
    private static void labelCounts(Figure f, Axes c, double[] edges, double[] share, long[] counts) {
        Graphics2D g = f.graphics();
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] == 0) {
                continue;
            }
            String s = Long.toString(counts[b]);
            double room = c.px(edges[b + 1]) - c.px(edges[b]) - 2;
            int size = 11;
            FontMetrics fm;
            do {
                g.setFont(new Font(Figure.FONT_FAMILY, Font.PLAIN, size));
                fm = g.getFontMetrics();
            } while (fm.stringWidth(s) > room && --size > 6);
            double y = Math.max(c.py(c.yMax()) + fm.getAscent(), c.py(share[b]) - 3);
            f.centredText(s, (c.px(edges[b]) + c.px(edges[b + 1])) / 2, y, g.getFont(), Color.BLACK);
        }
    }
}
