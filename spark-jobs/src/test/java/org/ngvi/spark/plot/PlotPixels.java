package org.ngvi.spark.plot;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;

/**
 * Where data coordinates of an {@link XYPlot} landed in a rendered chart: the plot's data area from
 * the {@link ChartRenderingInfo} of the drawing and the plot's axes, for tests that read pixels.
 */
public record PlotPixels(XYPlot plot, Rectangle2D dataArea) {
    /** The chart's single XYPlot as laid out in {@code info}. */
    public static PlotPixels of(JFreeChart chart, ChartRenderingInfo info) {
        return new PlotPixels(chart.getXYPlot(), info.getPlotInfo().getDataArea());
    }

    /** Subplot {@code i} of the chart's {@link CombinedDomainXYPlot} as laid out in {@code info}. */
    public static PlotPixels subplot(JFreeChart chart, ChartRenderingInfo info, int i) {
        CombinedDomainXYPlot c = (CombinedDomainXYPlot) chart.getPlot();
        return new PlotPixels(c.getSubplots().get(i), info.getPlotInfo().getSubplotInfo(i).getDataArea());
    }

    /** Pixel column of data x. */
    public double px(double x) {
        return plot.getDomainAxis().valueToJava2D(x, dataArea, plot.getDomainAxisEdge());
    }

    /** Pixel row of data y. */
    public double py(double y) {
        return plot.getRangeAxis().valueToJava2D(y, dataArea, plot.getRangeAxisEdge());
    }

    /** The RGB (no alpha) of {@code image} at data (x, y), shifted by (dx, dy) pixels. */
    public int rgb(BufferedImage image, double x, double y, double dx, double dy) {
        return image.getRGB((int) Math.floor(px(x) + dx), (int) Math.floor(py(y) + dy)) & 0xFFFFFF;
    }

    /** The RGB of {@code image} at data (x, y). */
    public int rgb(BufferedImage image, double x, double y) {
        return rgb(image, x, y, 0, 0);
    }
}
