package org.ngvi.spark.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.ngvi.spark.plot.ChartStyle;

/**
 * The distribution of the predictive entropy H[p̄] = −Σ_c p̄_c log p̄_c (nats) over a data set, from
 * the merged {@link ScoreHistogram} of the tasks, drawn with JFreeChart as a normalised density
 * ({@link ScoreHistogram#densities()}: d_i = n_i / (N w)) over [0, log C]: translucent bars
 * ({@code XYBarRenderer}) under a step outline ({@code XYStepRenderer}). With an
 * out-of-distribution set both are overlaid so that their shapes compare whatever their sizes. A
 * model that knows what it does not know puts the OOD mass to the right of the in-distribution
 * mass.
 */
public final class EntropyHistogramPlot {
    public static final int WIDTH = 720;
    public static final int HEIGHT = 500;

    static final Color IN = ChartStyle.BLUE;
    static final Color OOD = ChartStyle.ORANGE;

    private EntropyHistogramPlot() {
    }

    /** Fill colour of a series: the line colour at alpha 90. */
    static Color fill(Color c) {
        return ChartStyle.withAlpha(c, 90);
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

    /**
     * The chart, {@link #WIDTH} × {@link #HEIGHT} when written.
     *
     * @param in       the in-distribution entropies
     * @param inLabel  legend label of {@code in}
     * @param ood      the OOD set's entropies (same bins), or {@code null}
     * @param oodLabel legend label of {@code ood}
     * @param title    chart title
     */
    public static JFreeChart chart(ScoreHistogram in, String inLabel, ScoreHistogram ood, String oodLabel, String title) {
        if (ood != null && (ood.bins() != in.bins() || ood.lo() != in.lo() || ood.hi() != in.hi())) {
            throw new IllegalArgumentException("the OOD entropy histogram must have the in-distribution bins: "
                    + ood.bins() + " bins over [" + ood.lo() + ", " + ood.hi() + "] against " + in.bins() + " over ["
                    + in.lo() + ", " + in.hi() + "]");
        }
        double[] dIn = in.densities();
        double[] dOod = ood == null ? null : ood.densities();

        XYIntervalSeriesCollection bars = new XYIntervalSeriesCollection();
        XYSeriesCollection outlines = new XYSeriesCollection();
        bars.addSeries(bars(inLabel, in, dIn));
        outlines.addSeries(outline(inLabel, in, dIn));
        if (ood != null) {
            bars.addSeries(bars(oodLabel, ood, dOod));
            outlines.addSeries(outline(oodLabel, ood, dOod));
        }
        XYBarRenderer fills = ChartStyle.flatBars();
        XYStepRenderer steps = new XYStepRenderer();
        Color[] colors = {IN, OOD};
        for (int s = 0; s < bars.getSeriesCount(); s++) {
            fills.setSeriesPaint(s, fill(colors[s]));
            steps.setSeriesPaint(s, colors[s]);
            steps.setSeriesStroke(s, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
        }
        steps.setDefaultShapesVisible(false);

        NumberAxis x = new NumberAxis(String.format(Locale.ROOT, "predictive entropy (nats; log C = %.3f is uniform)", in.hi()));
        x.setRange(in.lo(), in.hi());
        NumberAxis y = new NumberAxis("density");
        y.setRange(0, yMax(dIn, dOod));
        XYPlot plot = new XYPlot(outlines, x, y, steps);
        plot.setDataset(1, bars);
        plot.setRenderer(1, fills);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE); // fills (1) first, outlines (0) over them

        JFreeChart chart = ChartStyle.chart(title, plot);
        var legend = ChartStyle.patch(String.format(Locale.ROOT, "%s (%d)", inLabel, in.total()), fill(IN), IN);
        chart.addSubtitle(ChartStyle.legend(ood == null ? ChartStyle.items(legend) : ChartStyle.items(legend,
                ChartStyle.patch(String.format(Locale.ROOT, "%s (%d)", oodLabel, ood.total()), fill(OOD), OOD)),
                RectangleEdge.TOP));
        return chart;
    }

    /** Bar i over [edge i, edge i+1] up to density d_i. */
    private static XYIntervalSeries bars(String key, ScoreHistogram h, double[] d) {
        XYIntervalSeries s = new XYIntervalSeries(key);
        for (int i = 0; i < d.length; i++) {
            s.add((h.edge(i) + h.edge(i + 1)) / 2, h.edge(i), h.edge(i + 1), d[i], 0, d[i]);
        }
        return s;
    }

    /**
     * The step outline for {@code XYStepRenderer} (horizontal, then vertical, to each point): up
     * from 0 at the left edge of the first non-empty bin, across every bin at its density (down to
     * 0 over empty bins between), down to 0 at the right edge of the last non-empty bin — not along
     * the axis where the set has no mass. Empty when every bin is.
     */
    private static XYSeries outline(String key, ScoreHistogram h, double[] d) {
        XYSeries s = new XYSeries(key, false, true);
        int first = 0;
        while (first < d.length && d[first] == 0) {
            first++;
        }
        int last = d.length - 1;
        while (last >= first && d[last] == 0) {
            last--;
        }
        if (first > last) {
            return s;
        }
        s.add(h.edge(first), 0);
        for (int i = first; i <= last; i++) {
            s.add(h.edge(i), d[i]);
        }
        s.add(h.edge(last + 1), 0);
        return s;
    }
}
