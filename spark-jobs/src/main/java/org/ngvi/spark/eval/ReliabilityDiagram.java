package org.ngvi.spark.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Paint;
import java.awt.Stroke;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.spark.plot.ChartPng;
import org.ngvi.spark.plot.ChartStyle;
import org.ngvi.spark.plot.Hatch;

/**
 * A reliability diagram (Guo et al., ICML 2017) of merged {@link ClassificationMetrics}, drawn with
 * JFreeChart: for each of the M equal-width confidence bins B_b = (b/M, (b+1)/M] holding n_b &gt; 0
 * examples, a bar of height acc_b = (correct in B_b)/n_b and a hatched "gap" bar from acc_b to the
 * bin's mean confidence conf_b (above the bar when over-confident, over its top when
 * under-confident), against the diagonal acc = conf of perfect calibration; the title carries
 * ECE = Σ_b (n_b/N) |acc_b − conf_b|. A second panel below, on the same confidence axis
 * ({@link CombinedDomainXYPlot}), shows the share n_b/N of examples per bin as bars labelled with
 * the count n_b.
 */
public final class ReliabilityDiagram {
    /** Chart size in pixels. */
    public static final int WIDTH = 660;
    public static final int HEIGHT = 720;

    static final Color ACCURACY = ChartStyle.BLUE;
    static final Color GAP_EDGE = ChartStyle.RED;
    /** The gap between accuracy and mean confidence: red hatching, readable over white and over a bar. */
    static final Paint GAP = Hatch.of(GAP_EDGE, 6, 1.6f);
    static final Color COUNTS = ChartStyle.GRAY;
    static final Stroke DIAGONAL = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {7f, 5f}, 0f);
    /** Height weights of the two panels (reliability : counts). */
    static final int MAIN_WEIGHT = 4;
    static final int COUNT_WEIGHT = 1;
    private static final int COUNT_FONT_MAX = 11;
    private static final int COUNT_FONT_MIN = 6;

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
     * The diagram, {@link #WIDTH} × {@link #HEIGHT} when written: subplot 0 is the reliability
     * panel (series 0 accuracy, 1 gap; a second dataset holds the diagonal), subplot 1 the counts.
     *
     * @param label what was evaluated, for the title (e.g. {@code "adam on test"})
     */
    public static JFreeChart chart(ClassificationMetrics m, String label) {
        int bins = m.bins();
        double[] acc = binAccuracy(m);
        double[] conf = binConfidence(m);
        long[] counts = m.binCounts();
        long n = m.examples();

        XYIntervalSeries accuracy = new XYIntervalSeries("accuracy");
        XYIntervalSeries gap = new XYIntervalSeries("gap to mean confidence");
        XYIntervalSeries share = new XYIntervalSeries("share");
        long[] shown = new long[bins];
        int k = 0;
        for (int b = 0; b < bins; b++) {
            if (counts[b] == 0) {
                continue;
            }
            double lo = b / (double) bins;
            double hi = (b + 1) / (double) bins;
            double mid = (lo + hi) / 2;
            accuracy.add(mid, lo, hi, acc[b], 0, acc[b]);
            if (conf[b] != acc[b]) {
                gap.add(mid, lo, hi, conf[b], Math.min(acc[b], conf[b]), Math.max(acc[b], conf[b]));
            }
            share.add(mid, lo, hi, counts[b] / (double) n, 0, counts[b] / (double) n);
            shown[k++] = counts[b];
        }
        XYIntervalSeriesCollection bars = new XYIntervalSeriesCollection();
        bars.addSeries(accuracy);
        bars.addSeries(gap);
        XYBarRenderer barRenderer = ChartStyle.flatBars();
        barRenderer.setUseYInterval(true);
        barRenderer.setDrawBarOutline(true);
        barRenderer.setSeriesPaint(0, ACCURACY);
        barRenderer.setSeriesOutlinePaint(0, Color.BLACK);
        barRenderer.setSeriesOutlineStroke(0, new BasicStroke(1f));
        barRenderer.setSeriesPaint(1, GAP);
        barRenderer.setSeriesOutlinePaint(1, GAP_EDGE);
        barRenderer.setSeriesOutlineStroke(1, new BasicStroke(1f));

        XYSeries diagonal = new XYSeries("perfect calibration");
        diagonal.add(0, 0);
        diagonal.add(1, 1);
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, Color.DARK_GRAY);
        line.setSeriesStroke(0, DIAGONAL);

        NumberAxis accuracyAxis = new NumberAxis("accuracy");
        accuracyAxis.setRange(0, 1);
        accuracyAxis.setTickUnit(new NumberTickUnit(0.1));
        XYPlot main = new XYPlot(bars, null, accuracyAxis, barRenderer);
        main.setDataset(1, new XYSeriesCollection(diagonal));
        main.setRenderer(1, line);
        main.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD); // the diagonal over the bars
        main.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);   // the gaps over the accuracy bars

        XYBarRenderer countRenderer = ChartStyle.flatBars();
        countRenderer.setDrawBarOutline(true);
        countRenderer.setSeriesPaint(0, COUNTS);
        countRenderer.setSeriesOutlinePaint(0, Color.BLACK);
        countRenderer.setSeriesOutlineStroke(0, new BasicStroke(1f));
        countRenderer.setDefaultItemLabelGenerator((dataset, series, item) -> Long.toString(shown[item]));
        countRenderer.setDefaultItemLabelsVisible(true);
        countRenderer.setDefaultItemLabelPaint(Color.BLACK);
        countRenderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        countRenderer.setItemLabelAnchorOffset(3);
        XYIntervalSeriesCollection shares = new XYIntervalSeriesCollection();
        shares.addSeries(share);
        NumberAxis shareAxis = new NumberAxis("share");
        shareAxis.setRange(0, countAxisMax(counts));
        XYPlot countPlot = new XYPlot(shares, null, shareAxis, countRenderer);

        NumberAxis confidence = new NumberAxis("confidence");
        confidence.setRange(0, 1);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(confidence);
        plot.setGap(36);
        plot.add(main, MAIN_WEIGHT);
        plot.add(countPlot, COUNT_WEIGHT);

        JFreeChart chart = ChartStyle.chart(
                String.format(Locale.ROOT, "Reliability, %s (ECE %.4f)", label, m.result().ece()), plot);
        chart.addSubtitle(ChartStyle.legend(ChartStyle.items(ChartStyle.patch("accuracy", ACCURACY, Color.BLACK),
                ChartStyle.patch("gap to mean confidence", GAP, GAP_EDGE),
                ChartStyle.line("perfect calibration", Color.DARK_GRAY, DIAGONAL)), RectangleEdge.TOP));
        countRenderer.setDefaultItemLabelFont(countFont(chart, shown, k, bins));
        return chart;
    }

    /**
     * The largest font (≤ 11 pt) in which every count label fits its bar's width, measured on the
     * chart's layout at {@link #WIDTH} × {@link #HEIGHT}.
     */
    private static Font countFont(JFreeChart chart, long[] shown, int labels, int bins) {
        Rectangle2D area = ChartPng.layout(chart, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT)).getPlotInfo()
                .getSubplotInfo(1).getDataArea();
        double room = area.getWidth() / bins - 2;
        String widest = "";
        for (int i = 0; i < labels; i++) {
            String s = Long.toString(shown[i]);
            widest = s.length() > widest.length() ? s : widest;
        }
        FontMetrics fm;
        int size = COUNT_FONT_MAX;
        var g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            do {
                g.setFont(new Font(ChartStyle.FONT_FAMILY, Font.PLAIN, size));
                fm = g.getFontMetrics();
            } while (fm.stringWidth(widest) > room && --size > COUNT_FONT_MIN);
        } finally {
            g.dispose();
        }
        return fm.getFont();
    }
}
