package org.ngvi.spark.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.IntervalXYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.spark.plot.ChartPng;
import org.ngvi.spark.plot.PlotPixels;

/** The reliability diagram puts each bin's accuracy bar, gap and count where the bin statistics say. */
class ReliabilityDiagramTest {
    @TempDir
    Path dir;

    /** 10 examples at confidence 0.95 (5 right) and 4 at 0.55 (all right), binary. */
    private static ClassificationMetrics twoBins() {
        ClassificationMetrics m = new ClassificationMetrics(15);
        for (int i = 0; i < 10; i++) {
            m.add(new double[] {0.95, 0.05}, 2, new int[] {i < 5 ? 0 : 1});
        }
        for (int i = 0; i < 4; i++) {
            m.add(new double[] {0.45, 0.55}, 2, new int[] {1});
        }
        return m;
    }

    private static int rgb(BufferedImage img, double x, double y) {
        return img.getRGB((int) Math.floor(x), (int) Math.floor(y)) & 0xFFFFFF;
    }

    private static boolean reddish(int rgb) {
        return ((rgb >> 16) & 0xFF) > (rgb & 0xFF) + 40;
    }

    /** Some pixel within 4 px of (x, y) is red-dominated (a hatch line). */
    private static boolean reddishAround(BufferedImage img, double x, double y) {
        for (int dx = -4; dx <= 4; dx++) {
            for (int dy = -4; dy <= 4; dy++) {
                if (reddish(rgb(img, x + dx, y + dy))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Some pixel within 4 px of (x, y) is white. */
    private static boolean whiteAround(BufferedImage img, double x, double y) {
        for (int dx = -4; dx <= 4; dx++) {
            for (int dy = -4; dy <= 4; dy++) {
                if (rgb(img, x + dx, y + dy) == 0xFFFFFF) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void binStatisticsComeFromTheAccumulator() {
        ClassificationMetrics m = twoBins();
        double[] acc = ReliabilityDiagram.binAccuracy(m);
        double[] conf = ReliabilityDiagram.binConfidence(m);
        assertEquals(0.5, acc[14], 1e-15);
        assertEquals(0.95, conf[14], 1e-12);
        assertEquals(1.0, acc[8], 1e-15); // 0.55 ∈ (8/15, 9/15]
        assertEquals(0.55, conf[8], 1e-12);
        assertTrue(Double.isNaN(acc[3]) && Double.isNaN(conf[3]));
        // ECE = 10/14 |0.5 - 0.95| + 4/14 |1 - 0.55|
        assertEquals(10 / 14.0 * 0.45 + 4 / 14.0 * 0.45, m.result().ece(), 1e-12);
    }

    @Test
    void barsGapsAndCountsAreDrawnWhereTheBinsAre() throws Exception {
        ClassificationMetrics m = twoBins();
        Path png = dir.resolve("rel.png");
        JFreeChart chart = ReliabilityDiagram.chart(m, "test");
        ChartPng.write(chart, ReliabilityDiagram.WIDTH, ReliabilityDiagram.HEIGHT, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(ReliabilityDiagram.WIDTH, img.getWidth());
        assertEquals(ReliabilityDiagram.HEIGHT, img.getHeight());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
        ChartRenderingInfo info = ChartPng.layout(chart,
                new Rectangle2D.Double(0, 0, ReliabilityDiagram.WIDTH, ReliabilityDiagram.HEIGHT));
        PlotPixels a = PlotPixels.subplot(chart, info, 0);
        int blue = ReliabilityDiagram.ACCURACY.getRGB() & 0xFFFFFF;
        double c14 = a.px(14.5 / 15);
        double c8 = a.px(8.5 / 15);
        assertEquals(blue, rgb(img, c14, a.py(0.25)), "accuracy bar of bin 14 up to 0.5");
        assertTrue(reddishAround(img, c14, a.py(0.75)), "hatched gap of bin 14 between 0.5 and 0.95");
        assertTrue(whiteAround(img, c14, a.py(0.75)), "hatching leaves the background between its lines");
        assertEquals(0xFFFFFF, rgb(img, c14, a.py(0.975)) | 0x0F0F0F, "nothing above the gap");
        assertEquals(blue, rgb(img, c8, a.py(0.3)), "accuracy bar of bin 8 up to 0.55, below its gap");
        assertTrue(reddishAround(img, c8, a.py(0.8)), "hatched gap of bin 8 (0.55 to 1) drawn over its bar");
        assertEquals(blue, rgb(img, c8, a.py(0.5)), "below the gap the bar is plain");
        assertTrue(!reddishAround(img, c14, a.py(0.25)), "no hatching inside bin 14's bar below its gap");
        int empty = rgb(img, a.px(3.5 / 15), a.py(0.1));
        assertTrue(((empty >> 16) & 0xFF) > 200 && (empty & 0xFF) > 200, "empty bin 3 has no bar: " + Integer.toHexString(empty));

        PlotPixels c = PlotPixels.subplot(chart, info, 1);
        assertEquals(ReliabilityDiagram.countAxisMax(m.binCounts()), c.plot().getRangeAxis().getUpperBound(), 1e-15);
        int gray = ReliabilityDiagram.COUNTS.getRGB() & 0xFFFFFF;
        assertEquals(gray, rgb(img, c14, c.py(10 / 14.0 / 2)), "count bar of bin 14 (share 10/14)");
        assertEquals(gray, rgb(img, c8, c.py(4 / 14.0 / 2)), "count bar of bin 8 (share 4/14)");
        assertNotEquals(gray, rgb(img, c8, c.py(4 / 14.0) - 18), "bin 8's bar ends at its share");
        assertNotEquals(gray, rgb(img, a.px(3.5 / 15), c.py(0) - 3), "no bar for an empty bin");
        assertTrue(c.py(0) > a.py(0), "the count panel is below the reliability panel");
    }

    @Test
    void datasetsHoldTheBinStatisticsAndTheCountsLabelTheBars() {
        ClassificationMetrics m = twoBins();
        JFreeChart chart = ReliabilityDiagram.chart(m, "test");
        XYPlot main = ((CombinedDomainXYPlot) chart.getPlot()).getSubplots().get(0);
        XYPlot counts = ((CombinedDomainXYPlot) chart.getPlot()).getSubplots().get(1);
        IntervalXYDataset bars = (IntervalXYDataset) main.getDataset(0);
        assertEquals(2, bars.getItemCount(0), "one accuracy bar per non-empty bin");
        assertEquals(8 / 15.0, bars.getStartXValue(0, 0), 1e-15);
        assertEquals(9 / 15.0, bars.getEndXValue(0, 0), 1e-15);
        assertEquals(1.0, bars.getEndYValue(0, 0), 1e-15);
        assertEquals(0.5, bars.getEndYValue(0, 1), 1e-15);
        // gaps: bin 8 from 0.55 up to 1 (under-confident), bin 14 from 0.5 up to 0.95
        assertEquals(0.55, bars.getStartYValue(1, 0), 1e-12);
        assertEquals(1.0, bars.getEndYValue(1, 0), 1e-12);
        assertEquals(0.5, bars.getStartYValue(1, 1), 1e-12);
        assertEquals(0.95, bars.getEndYValue(1, 1), 1e-12);
        IntervalXYDataset shares = (IntervalXYDataset) counts.getDataset(0);
        assertEquals(1, shares.getSeriesCount(), "one series of shares");
        assertEquals(2, shares.getItemCount(0), "one count bar per non-empty bin");
        assertEquals(4 / 14.0, shares.getYValue(0, 0), 1e-15);
        assertEquals("4", counts.getRenderer().getItemLabelGenerator(0, 0).generateLabel(shares, 0, 0));
        assertEquals("10", counts.getRenderer().getItemLabelGenerator(0, 1).generateLabel(shares, 0, 1));
        assertTrue(chart.getTitle().getText().contains("ECE 0.4500"), chart.getTitle().getText());
    }
}
