package org.ngvi.spark.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.IntervalXYDataset;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.ngvi.spark.plot.ChartPng;
import org.ngvi.spark.plot.PlotPixels;

/** Overlaid entropy densities: both fills, their overlap and the step outlines where the densities say. */
class EntropyHistogramPlotTest {
    private static final int WHITE = 0xFFFFFF;

    private static ScoreHistogram of(double... values) {
        ScoreHistogram h = new ScoreHistogram(2, 0, 2);
        for (double v : values) {
            h.add(v);
        }
        return h;
    }

    @Test
    void overlaidHistogramsShowBothFillsTheirOverlapAndTheOutlines() {
        // series 1: all mass in bin 0 (density 1); series 2: half in bin 0, half in bin 1 (0.5 each)
        ScoreHistogram in = of(0.5, 0.5, 0.5, 0.5);
        ScoreHistogram ood = of(0.5, 1.5);
        JFreeChart chart = EntropyHistogramPlot.chart(in, "in", ood, "ood", "title");
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage img = ChartPng.render(chart, EntropyHistogramPlot.WIDTH, EntropyHistogramPlot.HEIGHT, info);
        PlotPixels p = PlotPixels.of(chart, info);
        assertEquals(1.1, p.plot().getRangeAxis().getUpperBound(), 1e-12, "largest density + 10%");
        // (points off the dashed grid lines at the ticks)
        int onlyBlue = p.rgb(img, 0.56, 0.77);   // density 1 of series 1 above series 2's 0.5
        int both = p.rgb(img, 0.56, 0.27);
        int onlyOrange = p.rgb(img, 1.56, 0.27);
        int none = p.rgb(img, 1.56, 0.77);
        assertEquals(WHITE, none);
        assertTrue(blueish(onlyBlue), Integer.toHexString(onlyBlue));
        assertTrue(orangeish(onlyOrange), Integer.toHexString(onlyOrange));
        assertNotEquals(onlyBlue, both);
        assertNotEquals(onlyOrange, both);
        // the outline of series 1 runs along y = 1 over bin 0, in the line colour itself
        int edge = p.rgb(img, 0.56, 1.0);
        assertTrue(blueish(edge) && (edge & 0xFF) < 0xC0, Integer.toHexString(edge));
        // alone, series 1 has no mass in bin 1: no outline along the axis there
        JFreeChart alone = EntropyHistogramPlot.chart(in, "in", null, null, "title");
        ChartRenderingInfo aloneInfo = new ChartRenderingInfo();
        BufferedImage aloneImg = ChartPng.render(alone, EntropyHistogramPlot.WIDTH, EntropyHistogramPlot.HEIGHT, aloneInfo);
        PlotPixels q = PlotPixels.of(alone, aloneInfo);
        assertTrue(blueish(q.rgb(aloneImg, 0.56, 0.0, 0, -2)), "bin 0's fill reaches the axis");
        assertEquals(WHITE, q.rgb(aloneImg, 1.56, 0.0, 0, -2), "nothing over the empty bin");
    }

    @Test
    void datasetsHoldTheDensities() {
        ScoreHistogram in = of(0.5, 0.5, 1.5);
        JFreeChart chart = EntropyHistogramPlot.chart(in, "in", null, null, "title");
        IntervalXYDataset bars = (IntervalXYDataset) chart.getXYPlot().getDataset(1);
        assertEquals(1, bars.getSeriesCount());
        assertArrayEquals(in.densities(), new double[] {bars.getYValue(0, 0), bars.getYValue(0, 1)}, 1e-15);
        assertEquals(1.0, bars.getStartXValue(0, 1), 1e-15);
        assertEquals(2.0, bars.getEndXValue(0, 1), 1e-15);
        XYDataset outline = chart.getXYPlot().getDataset(0);
        assertEquals(4, outline.getItemCount(0), "up, two bins, down");
        assertThrows(IllegalArgumentException.class,
                () -> EntropyHistogramPlot.chart(in, "in", new ScoreHistogram(3, 0, 2), "ood", "title"));
    }

    private static boolean blueish(int rgb) {
        return (rgb & 0xFF) > ((rgb >> 16) & 0xFF) + 30;
    }

    private static boolean orangeish(int rgb) {
        return ((rgb >> 16) & 0xFF) > (rgb & 0xFF) + 30;
    }
}
