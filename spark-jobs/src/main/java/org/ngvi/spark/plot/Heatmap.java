package org.ngvi.spark.plot;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYZDataset;

/**
 * A field on a {@link RegularGrid} as a JFreeChart heat map: node (i, j) is the item (x_i, y_j,
 * f_ij) of an {@link XYZDataset}, drawn by an {@link XYBlockRenderer} as the cell of width and
 * height {@code step} centred on the node, coloured by a {@link PaintScale} (e.g.
 * {@link Colormap#scale}) — no smoothing that would invent values.
 */
public final class Heatmap {
    private Heatmap() {
    }

    /** The field's nodes as one series {@code key} of (x, y, value) items, x fastest. */
    public static XYZDataset dataset(Comparable<?> key, RegularGrid grid, double[] field) {
        grid.requireField(field, "heatmap field");
        double[][] xyz = new double[3][grid.size()];
        for (int j = 0; j < grid.ny(); j++) {
            for (int i = 0; i < grid.nx(); i++) {
                int k = j * grid.nx() + i;
                xyz[0][k] = grid.x(i);
                xyz[1][k] = grid.y(j);
                xyz[2][k] = field[k];
            }
        }
        DefaultXYZDataset d = new DefaultXYZDataset();
        d.addSeries(key, xyz);
        return d;
    }

    /** Cells of {@code grid}'s step centred on their nodes, coloured by {@code scale}. */
    public static XYBlockRenderer renderer(RegularGrid grid, PaintScale scale) {
        XYBlockRenderer r = new Cells();
        r.setBlockWidth(grid.step());
        r.setBlockHeight(grid.step());
        r.setBlockAnchor(RectangleAnchor.CENTER);
        r.setPaintScale(scale);
        return r;
    }

    /**
     * XYBlockRenderer with anti-aliasing off while it fills its cells: abutting cells then tile
     * the plot exactly (no seams), and filling 10⁵ cells takes milliseconds instead of seconds.
     * Everything else on the chart (lines, markers, text) stays anti-aliased.
     */
    private static final class Cells extends XYBlockRenderer {
        private static final long serialVersionUID = 1L;

        @Override
        public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D dataArea, PlotRenderingInfo info,
                             XYPlot plot, ValueAxis domainAxis, ValueAxis rangeAxis, XYDataset dataset, int series,
                             int item, CrosshairState crosshairState, int pass) {
            Object aa = g2.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
            g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            try {
                super.drawItem(g2, state, dataArea, info, plot, domainAxis, rangeAxis, dataset, series, item,
                        crosshairState, pass);
            } finally {
                g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
            }
        }
    }
}
