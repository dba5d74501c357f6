package org.ngvi.spark.toy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.Size2D;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.ngvi.spark.plot.ChartPng;
import org.ngvi.spark.plot.ChartStyle;
import org.ngvi.spark.plot.Colormap;
import org.ngvi.spark.plot.ContourLine;
import org.ngvi.spark.plot.EqualScale;
import org.ngvi.spark.plot.Heatmap;
import org.ngvi.spark.plot.RegularGrid;

/**
 * One frame of the toy animation, three JFreeChart panels over the same grid: (1) the data with
 * Adam's decision boundary, VOGN's boundary at the mean weights (thick) and at sampled weights
 * (light), a boundary being the contour p(y = 1 | x) = 0.5 ({@link ContourLine}, the one piece
 * JFreeChart lacks, drawn as line series); (2) Adam's predictive entropy; (3) VOGN's predictive
 * entropy of the MC predictive, as {@link Heatmap}s. Both entropy maps share the colour scale
 * [0, log 2] (the range of a binary entropy in nats, viridis), shown by one colour bar. Panels use
 * equal scales in x and y ({@link EqualScale}), so distances to the data read true; one legend
 * below the panels names the lines and markers of all three.
 *
 * @param step              optimizer steps done
 * @param adamProbability   Adam's p(y = 1 | x) on the grid
 * @param vognMeanProbability VOGN's p(y = 1 | x) at the posterior mean
 * @param vognSamples       VOGN's p(y = 1 | x) at individual weight samples
 * @param adamEntropy       H of Adam's p on the grid
 * @param vognEntropy       H of VOGN's MC predictive on the grid
 * @param vognMcSamples     K of the MC predictive (for the title)
 */
public record ToyFrame(long step, Blobs data, RegularGrid grid, double[] adamProbability, double[] vognMeanProbability,
                       double[][] vognSamples, double[] adamEntropy, double[] vognEntropy, int vognMcSamples) {
    /** Frame width in pixels. */
    public static final int WIDTH = 1690;
    /** Frame height in pixels. */
    public static final int HEIGHT = 600;

    private static final int LEFT = 10;
    private static final int PITCH = 540;
    private static final int PANELS_H = 555;
    private static final int COLOR_BAR_W = 80;
    private static final double ENTROPY_MAX = Math.log(2);
    /** Tick spacing of the x1 and x2 axes (the data span about 20). */
    private static final double TICK = 5;

    static final Color ADAM = ChartStyle.BLUE;
    static final Color VOGN = ChartStyle.RED;
    static final Color SAMPLE = ChartStyle.withAlpha(VOGN, 60);
    static final Color CLASS0 = ChartStyle.ORANGE;
    static final Color CLASS1 = ChartStyle.GREEN;
    static final Stroke ADAM_STROKE = new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final Stroke VOGN_STROKE = new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final Stroke SAMPLE_STROKE = new BasicStroke(1f);
    static final Shape CIRCLE = new Ellipse2D.Double(-4.5, -4.5, 9, 9);
    static final Shape SQUARE = new Rectangle2D.Double(-4.05, -4.05, 8.1, 8.1);
    /** The colour scale of both entropy maps. */
    static final PaintScale ENTROPY_SCALE = Colormap.VIRIDIS.scale(0, ENTROPY_MAX);

    /** The frame's three charts and where they were drawn. */
    public record Rendered(BufferedImage image, JFreeChart[] charts, ChartRenderingInfo[] layout) {
    }

    /** Draws the frame. */
    public BufferedImage render() {
        return renderWithLayout().image();
    }

    /** Draws the frame and returns the charts with their layout (data areas), for tests. */
    public Rendered renderWithLayout() {
        JFreeChart[] charts = {boundaries(), entropy("Predictive entropy, Adam"),
                entropy("Predictive entropy, VOGN (" + vognMcSamples + " MC samples)")};
        Rectangle2D[] boxes = new Rectangle2D[3];
        for (int i = 0; i < 3; i++) {
            // the last panel leaves the frame's right COLOR_BAR_W pixels to the colour bar
            double w = i < 2 ? PITCH : WIDTH - LEFT - 2 * PITCH - COLOR_BAR_W;
            boxes[i] = new Rectangle2D.Double(LEFT + i * PITCH, 0, w, PANELS_H);
        }
        Rectangle2D[] rects = EqualScale.place(charts, boxes, xMax() - xMin(), yMax() - yMin());
        // the heat maps join after the layout dry runs, which they do not change (10^5 cells each)
        addHeatmap(charts[1], adamEntropy);
        addHeatmap(charts[2], vognEntropy);
        BufferedImage image = ChartPng.canvas(WIDTH, HEIGHT);
        Graphics2D g = ChartPng.graphics(image);
        ChartRenderingInfo[] layout = new ChartRenderingInfo[3];
        try {
            for (int i = 0; i < 3; i++) {
                layout[i] = new ChartRenderingInfo();
                charts[i].draw(g, rects[i], layout[i]);
            }
            Rectangle2D area = layout[2].getPlotInfo().getDataArea();
            colorBar().draw(g, new Rectangle2D.Double(area.getMaxX() + 14, area.getMinY(), COLOR_BAR_W, area.getHeight()));
            LegendTitle legend = legend();
            Size2D size = legend.arrange(g);
            legend.draw(g, new Rectangle2D.Double((WIDTH - size.width) / 2, PANELS_H + (HEIGHT - PANELS_H - size.height) / 2,
                    size.width, size.height));
        } finally {
            g.dispose();
        }
        return new Rendered(image, charts, layout);
    }

    private double xMin() {
        return grid.x0() - grid.step() / 2;
    }

    private double xMax() {
        return grid.xMax() + grid.step() / 2;
    }

    private double yMin() {
        return grid.y0() - grid.step() / 2;
    }

    private double yMax() {
        return grid.yMax() + grid.step() / 2;
    }

    /** The boundaries panel: dataset 0 the points, dataset 1 the contours (samples, VOGN mean, Adam in drawing order). */
    private JFreeChart boundaries() {
        XYSeriesCollection lines = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        for (int s = 0; s < vognSamples.length; s++) {
            lines.addSeries(ContourLine.series("VOGN sample " + s, ContourLine.segments(grid, vognSamples[s], 0.5)));
            r.setSeriesPaint(s, SAMPLE);
            r.setSeriesStroke(s, SAMPLE_STROKE);
        }
        int s = vognSamples.length;
        lines.addSeries(ContourLine.series("VOGN (mean)", ContourLine.segments(grid, vognMeanProbability, 0.5)));
        r.setSeriesPaint(s, VOGN);
        r.setSeriesStroke(s, VOGN_STROKE);
        lines.addSeries(ContourLine.series("Adam", ContourLine.segments(grid, adamProbability, 0.5)));
        r.setSeriesPaint(s + 1, ADAM);
        r.setSeriesStroke(s + 1, ADAM_STROKE);
        XYPlot plot = panel();
        plot.setDataset(1, lines);
        plot.setRenderer(1, r);
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        return ChartStyle.chart("Decision boundaries, step " + step, plot);
    }

    /** An entropy panel, without its heat map yet: dataset 0 the points. */
    private JFreeChart entropy(String title) {
        return ChartStyle.chart(title, panel());
    }

    /** Dataset 1 of an entropy panel: the heat map of {@code field}, drawn under the points. */
    private void addHeatmap(JFreeChart chart, double[] field) {
        XYPlot plot = chart.getXYPlot();
        plot.setDataset(1, Heatmap.dataset("entropy", grid, field));
        plot.setRenderer(1, Heatmap.renderer(grid, ENTROPY_SCALE));
    }

    /** A panel over the grid's cells with the training points (dataset 0, drawn last). */
    private XYPlot panel() {
        XYSeriesCollection points = new XYSeriesCollection();
        points.addSeries(points("class 0", 0));
        points.addSeries(points("class 1", 1));
        XYLineAndShapeRenderer markers = new XYLineAndShapeRenderer(false, true);
        markers.setSeriesShape(0, CIRCLE);
        markers.setSeriesShape(1, SQUARE);
        markers.setSeriesFillPaint(0, CLASS0);
        markers.setSeriesFillPaint(1, CLASS1);
        markers.setUseFillPaint(true);
        markers.setDrawOutlines(true);
        markers.setUseOutlinePaint(true);
        markers.setDefaultOutlinePaint(Color.BLACK);
        markers.setDefaultOutlineStroke(new BasicStroke(1f));
        NumberAxis x = new NumberAxis("x1");
        x.setRange(xMin(), xMax());
        x.setTickUnit(new NumberTickUnit(TICK));
        NumberAxis y = new NumberAxis("x2");
        y.setRange(yMin(), yMax());
        y.setTickUnit(new NumberTickUnit(TICK));
        return new XYPlot(points, x, y, markers);
    }

    private XYSeries points(String key, int label) {
        XYSeries s = new XYSeries(key, false, true);
        double[] xs = data.coordinate(0, label);
        double[] ys = data.coordinate(1, label);
        for (int i = 0; i < xs.length; i++) {
            s.add(xs[i], ys[i]);
        }
        return s;
    }

    private static PaintScaleLegend colorBar() {
        NumberAxis axis = new NumberAxis();
        axis.setRange(0, ENTROPY_MAX);
        axis.setTickUnit(new NumberTickUnit(0.1));
        axis.setLabelAngle(Math.PI); // read bottom to top, like the y axis labels
        return ChartStyle.colorBar(ENTROPY_SCALE, axis, "entropy (nats)");
    }

    private LegendTitle legend() {
        return ChartStyle.legend(ChartStyle.items(ChartStyle.line("Adam", ADAM, ADAM_STROKE),
                ChartStyle.line("VOGN (mean)", VOGN, VOGN_STROKE),
                ChartStyle.line("VOGN (" + vognSamples.length + " samples)", SAMPLE, new BasicStroke(2f)),
                ChartStyle.marker("class 0", CIRCLE, CLASS0, Color.BLACK),
                ChartStyle.marker("class 1", SQUARE, CLASS1, Color.BLACK)), RectangleEdge.BOTTOM);
    }
}
