package org.ngvi.spark.toy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Stroke;
import org.ngvi.spark.plot.Axes;
import org.ngvi.spark.plot.ColorBar;
import org.ngvi.spark.plot.Colormap;
import org.ngvi.spark.plot.ContourLine;
import org.ngvi.spark.plot.Figure;
import org.ngvi.spark.plot.Heatmap;
import org.ngvi.spark.plot.Legend;
import org.ngvi.spark.plot.RegularGrid;

/**
 * One frame of the toy animation, three panels over the same grid: (1) the data with Adam's
 * decision boundary, VOGN's boundary at the mean weights (thick) and at sampled weights (light),
 * a boundary being the contour p(y = 1 | x) = 0.5; (2) Adam's predictive entropy; (3) VOGN's
 * predictive entropy of the MC predictive. Both entropy maps share the colour scale [0, log 2]
 * (the range of a binary entropy in nats), shown by one colour bar. Panels use equal scales in
 * x and y, so distances to the data read true.
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
    public static final int HEIGHT = 560;

    private static final int PLOT = 440;
    private static final int LEFT = 70;
    private static final int PITCH = 525;
    private static final int TOP = 50;
    private static final double ENTROPY_MAX = Math.log(2);

    static final Color ADAM = new Color(0x1F77B4);
    static final Color VOGN = new Color(0xD62728);
    static final Color CLASS0 = new Color(0xFF7F0E);
    static final Color CLASS1 = new Color(0x2CA02C);

    /** Draws the frame. */
    public Figure render() {
        Figure f = new Figure(WIDTH, HEIGHT);
        Axes boundaries = axes(f, 0);
        boundaries.grid();
        Stroke thin = new BasicStroke(1f);
        Color sampleColor = new Color(VOGN.getRed(), VOGN.getGreen(), VOGN.getBlue(), 60);
        for (double[] p : vognSamples) {
            ContourLine.draw(boundaries, ContourLine.segments(grid, p, 0.5), sampleColor, thin);
        }
        Stroke thick = new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        Stroke adamStroke = new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
        ContourLine.draw(boundaries, ContourLine.segments(grid, vognMeanProbability, 0.5), VOGN, thick);
        ContourLine.draw(boundaries, ContourLine.segments(grid, adamProbability, 0.5), ADAM, adamStroke);
        points(boundaries);
        boundaries.decorate("Decision boundaries, step " + step, "x1", "x2");
        new Legend().line("Adam", ADAM, adamStroke).line("VOGN (mean)", VOGN, thick)
                .line("VOGN (" + vognSamples.length + " samples)", sampleColor, new BasicStroke(2f))
                .marker("class 0", Axes.Marker.CIRCLE, CLASS0, Color.BLACK)
                .marker("class 1", Axes.Marker.SQUARE, CLASS1, Color.BLACK)
                .drawAvoiding(boundaries, data.coordinate(0), data.coordinate(1));

        Axes adam = axes(f, 1);
        Heatmap.draw(adam, grid, adamEntropy, Colormap.VIRIDIS, 0, ENTROPY_MAX);
        points(adam);
        adam.decorate("Predictive entropy, Adam", "x1", "x2");

        Axes vogn = axes(f, 2);
        Heatmap.draw(vogn, grid, vognEntropy, Colormap.VIRIDIS, 0, ENTROPY_MAX);
        points(vogn);
        vogn.decorate("Predictive entropy, VOGN (" + vognMcSamples + " MC samples)", "x1", "x2");
        var area = vogn.pixelBounds();
        ColorBar.draw(f, area.getMaxX() + 18, area.getY(), 18, area.getHeight(), Colormap.VIRIDIS, 0, ENTROPY_MAX,
                "entropy (nats)");
        return f;
    }

    /** Panel {@code panel}'s axes: equal scale in x and y, fitted into a PLOT × PLOT square (centred). */
    private Axes axes(Figure f, int panel) {
        double h = grid.step() / 2;
        double xr = grid.xMax() - grid.x0() + grid.step();
        double yr = grid.yMax() - grid.y0() + grid.step();
        double scale = PLOT / Math.max(xr, yr);
        double w = xr * scale;
        double ht = yr * scale;
        return new Axes(f, LEFT + panel * PITCH + (PLOT - w) / 2, TOP + (PLOT - ht) / 2, w, ht,
                grid.x0() - h, grid.xMax() + h, grid.y0() - h, grid.yMax() + h);
    }

    private void points(Axes a) {
        a.scatter(data.coordinate(0, 0), data.coordinate(1, 0), Axes.Marker.CIRCLE, 9, CLASS0, Color.BLACK);
        a.scatter(data.coordinate(0, 1), data.coordinate(1, 1), Axes.Marker.SQUARE, 9, CLASS1, Color.BLACK);
    }
}
