package org.ngvi.spark.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Set;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.data.xy.XYZDataset;
import org.junit.jupiter.api.Test;

class HeatmapTest {
    @Test
    void cellsAreCentredOnTheirNodesWithYUpAndTileThePlot() {
        RegularGrid grid = new RegularGrid(0, 0, 1, 2, 2);
        // node (0,0) = 0 -> start of the map, node (1,1) = 1 -> end, others in between
        double[] field = {0, 0.5, 0.5, 1};
        NumberAxis x = new NumberAxis();
        x.setRange(-0.5, 1.5);
        NumberAxis y = new NumberAxis();
        y.setRange(-0.5, 1.5);
        XYPlot plot = new XYPlot(Heatmap.dataset("f", grid, field), x, y, Heatmap.renderer(grid, Colormap.VIRIDIS.scale(0, 1)));
        JFreeChart chart = ChartStyle.chart(null, plot);
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage img = ChartPng.render(chart, 200, 200, info);
        PlotPixels p = PlotPixels.of(chart, info);
        assertEquals(Colormap.VIRIDIS.rgb(0.0), p.rgb(img, 0, 0));
        assertEquals(Colormap.VIRIDIS.rgb(1.0), p.rgb(img, 1, 1));
        assertEquals(Colormap.VIRIDIS.rgb(0.5), p.rgb(img, 1, 0), "node (1, 0) is right of the origin, not above");
        assertEquals(Colormap.VIRIDIS.rgb(0.0), p.rgb(img, -0.45, -0.45), "a cell reaches half a step beyond its node");
        // no seams: every pixel inside the data area is one of the three cell colours
        Set<Integer> cells = Set.of(Colormap.VIRIDIS.rgb(0.0), Colormap.VIRIDIS.rgb(0.5), Colormap.VIRIDIS.rgb(1.0));
        var a = info.getPlotInfo().getDataArea();
        for (int py = (int) a.getMinY() + 2; py < a.getMaxY() - 2; py++) {
            for (int px = (int) a.getMinX() + 2; px < a.getMaxX() - 2; px++) {
                int c = img.getRGB(px, py) & 0xFFFFFF;
                assertTrue(cells.contains(c), "pixel (" + px + ", " + py + ") is " + Integer.toHexString(c));
            }
        }
    }

    @Test
    void datasetHoldsOneItemPerNodeXFastest() {
        RegularGrid grid = new RegularGrid(-1, 2, 0.5, 3, 2);
        XYZDataset d = Heatmap.dataset("f", grid, new double[] {0, 1, 2, 3, 4, 5});
        assertEquals(6, d.getItemCount(0));
        assertEquals(0.0, d.getXValue(0, 2), 1e-15);
        assertEquals(2.0, d.getYValue(0, 2), 1e-15);
        assertEquals(-1.0, d.getXValue(0, 3), 1e-15);
        assertEquals(2.5, d.getYValue(0, 3), 1e-15);
        assertEquals(3.0, d.getZValue(0, 3), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Heatmap.dataset("f", grid, new double[5]));
    }

    @Test
    void colormapScaleMapsItsBoundsToTheEndsOfTheMap() {
        PaintScale s = Colormap.VIRIDIS.scale(0, Math.log(2));
        assertEquals(0, s.getLowerBound());
        assertEquals(Math.log(2), s.getUpperBound());
        assertEquals(new Color(0x440154), s.getPaint(0));
        assertEquals(new Color(0xFDE725), s.getPaint(Math.log(2)));
        assertEquals(new Color(0xFDE725), s.getPaint(5), "clamped above");
        assertEquals(new Color(Colormap.VIRIDIS.rgb(0.5)), s.getPaint(Math.log(2) / 2));
        assertThrows(IllegalArgumentException.class, () -> Colormap.VIRIDIS.scale(1, 1));
    }

    @Test
    void gridCoversTheRangeLikeArange() {
        RegularGrid g = RegularGrid.covering(-1, 1, 0, 0.5, 0.25);
        assertEquals(8, g.nx()); // -1, -0.75, ..., 0.75
        assertEquals(2, g.ny());
        assertEquals(0.75, g.xMax(), 1e-12);
    }
}
