package org.ngvi.spark.eval;

import java.awt.Color;
import java.util.Locale;
import org.ngvi.spark.plot.Axes;
import org.ngvi.spark.plot.Figure;
import org.ngvi.spark.plot.Histogram;
import org.ngvi.spark.plot.Legend;

/**
 * The distribution of the predictive entropy H[p̄] = −Σ_c p̄_c log p̄_c (nats) over a data set, from
 * the merged {@link ScoreHistogram} of the tasks, drawn as a normalised density
 * ({@link Histogram}: n_i / (N w)) over [0, log C]; with an out-of-distribution set both are
 * overlaid (translucent fills, step outlines) so that their shapes compare whatever their sizes. A
 * model that knows what it does not know puts the OOD mass to the right of the in-distribution
 * mass.
 */
public final class EntropyHistogramPlot {
    public static final int WIDTH = 720;
    public static final int HEIGHT = 500;

    static final int LEFT = 90;
    static final int TOP = 50;
    static final int PLOT_W = 590;
    static final int PLOT_H = 370;

    static final Color IN = new Color(0x1F77B4);
    static final Color OOD = new Color(0xFF7F0E);

    private EntropyHistogramPlot() {
    }

    /** Fill colour of a series: the line colour at alpha 90. */
    static Color fill(Color c) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), 90);
    }

    /** The y range: the largest density of both series plus 10% (1 when both are empty). */
    static double yMax(double[] in, double[] ood) {
        double m = 0;
        for (double d : in) {
            m = Math.max(m, d);
        }
        if (ood != null) {
            for (double d : ood) {
                m = Math.max(m, d);
            }
        }
        return m > 0 ? m * 1.1 : 1;
    }

    /** The axes of a figure of {@link #WIDTH} × {@link #HEIGHT} for histograms over [lo, hi] up to density {@code yMax}. */
    static Axes axes(Figure f, double lo, double hi, double yMax) {
        return new Axes(f, LEFT, TOP, PLOT_W, PLOT_H, lo, hi, 0, yMax);
    }

    /**
     * Draws the histogram(s).
     *
     * @param in       the in-distribution entropies
     * @param inLabel  legend label of {@code in}
     * @param ood      the OOD set's entropies (same bins), or {@code null}
     * @param oodLabel legend label of {@code ood}
     * @param title    figure title
     */
    public static Figure render(ScoreHistogram in, String inLabel, ScoreHistogram ood, String oodLabel, String title) {
        if (ood != null && (ood.bins() != in.bins() || ood.lo() != in.lo() || ood.hi() != in.hi())) {
            throw new IllegalArgumentException("the OOD entropy histogram must have the in-distribution bins");
        }
        double[] dIn = Histogram.densities(in.counts(), in.lo(), in.hi());
        double[] dOod = ood == null ? null : Histogram.densities(ood.counts(), ood.lo(), ood.hi());
        Figure f = new Figure(WIDTH, HEIGHT);
        Axes a = axes(f, in.lo(), in.hi(), yMax(dIn, dOod));
        a.grid();
        Histogram.draw(a, in.lo(), in.hi(), dIn, fill(IN), IN, 2f);
        if (dOod != null) {
            Histogram.draw(a, ood.lo(), ood.hi(), dOod, fill(OOD), OOD, 2f);
        }
        a.decorate(title, String.format(Locale.ROOT, "predictive entropy (nats; log C = %.3f is uniform)", in.hi()), "density");
        Legend legend = new Legend().patch(String.format(Locale.ROOT, "%s (%d)", inLabel, in.total()), fill(IN), IN);
        if (ood != null) {
            legend.patch(String.format(Locale.ROOT, "%s (%d)", oodLabel, ood.total()), fill(OOD), OOD);
        }
        double[][] ink = ink(in.lo(), in.hi(), dIn, dOod);
        legend.drawAvoiding(a, ink[0], ink[1]);
        return f;
    }

    private static final int INK_STEPS = 10;

    /** Points covering the bars ({x}, {y}), where the legend should not go. */
    private static double[][] ink(double lo, double hi, double[] a, double[] b) {
        int n = a.length;
        int series = b == null ? 1 : 2;
        double[][] xy = new double[2][series * n * (INK_STEPS + 1)];
        int k = 0;
        for (int s = 0; s < series; s++) {
            double[] d = s == 0 ? a : b;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= INK_STEPS; j++) {
                    xy[0][k] = lo + (hi - lo) * (i + 0.5) / n;
                    xy[1][k] = d[i] * j / INK_STEPS;
                    k++;
                }
            }
        }
        return xy;
    }
}
