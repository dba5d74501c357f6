package org.ngvi.spark.plot;

import java.awt.geom.Rectangle2D;
import org.jfree.chart.JFreeChart;

/**
 * Lays out charts side by side so that their data areas are the same size and show x and y at one
 * scale (matplotlib's {@code aspect="equal"} with an adjustable box), which JFreeChart does not
 * offer: a data range of xRange × yRange gets a data area of W × H pixels with W / H = xRange /
 * yRange, the largest that fits every chart's box once the chart's own decorations (title, axes,
 * tick labels) are around it. The decorations are measured on {@link ChartPng#layout} dry runs,
 * twice, since tick labels may change with the size.
 */
public final class EqualScale {
    private EqualScale() {
    }

    /**
     * The rectangles to draw {@code charts[i]} into, each centred in {@code boxes[i]}, whose data
     * areas are all W × H with W / H = xRange / yRange.
     */
    public static Rectangle2D[] place(JFreeChart[] charts, Rectangle2D[] boxes, double xRange, double yRange) {
        if (charts.length != boxes.length || charts.length == 0) {
            throw new IllegalArgumentException("EqualScale needs one box per chart, got " + charts.length + " charts and "
                    + boxes.length + " boxes");
        }
        if (!(xRange > 0) || !(yRange > 0)) {
            throw new IllegalArgumentException("EqualScale needs positive data ranges, got " + xRange + " x " + yRange);
        }
        Rectangle2D[] rects = boxes.clone();
        for (int pass = 0; pass < 2; pass++) {
            double[][] deco = new double[charts.length][];
            double w = Double.POSITIVE_INFINITY;
            double h = Double.POSITIVE_INFINITY;
            for (int i = 0; i < charts.length; i++) {
                deco[i] = decorations(charts[i], rects[i]);
                w = Math.min(w, boxes[i].getWidth() - deco[i][0] - deco[i][2]);
                h = Math.min(h, boxes[i].getHeight() - deco[i][1] - deco[i][3]);
            }
            if (!(w > 0 && h > 0)) {
                throw new IllegalArgumentException("the charts' decorations leave no room for data in boxes of "
                        + boxes[0].getWidth() + " x " + boxes[0].getHeight() + " pixels");
            }
            double aspect = xRange / yRange;
            if (w / h > aspect) {
                w = h * aspect;
            } else {
                h = w / aspect;
            }
            for (int i = 0; i < charts.length; i++) {
                double cw = w + deco[i][0] + deco[i][2];
                double ch = h + deco[i][1] + deco[i][3];
                rects[i] = new Rectangle2D.Double(boxes[i].getCenterX() - cw / 2, boxes[i].getCenterY() - ch / 2, cw, ch);
            }
        }
        return rects;
    }

    /** Pixels around the data area of {@code chart} drawn into {@code area}: {left, top, right, bottom}. */
    static double[] decorations(JFreeChart chart, Rectangle2D area) {
        Rectangle2D d = ChartPng.layout(chart, area).getPlotInfo().getDataArea();
        return new double[] {d.getMinX() - area.getMinX(), d.getMinY() - area.getMinY(), area.getMaxX() - d.getMaxX(),
                area.getMaxY() - d.getMaxY()};
    }
}
