package org.ngvi.spark.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class BarsAndHistogramTest {
    private static final int WHITE = 0xFFFFFF;

    private static int rgb(BufferedImage img, double x, double y) {
        return img.getRGB((int) Math.floor(x), (int) Math.floor(y)) & 0xFFFFFF;
    }

    @Test
    void barsFillTheirBinUpToTheirHeightAndNothingElse() {
        try (Figure f = new Figure(200, 150)) {
            Axes a = new Axes(f, 20, 10, 160, 120, 0, 4, 0, 2);
            Color fill = new Color(0x1F77B4);
            Bars.draw(a, new double[] {0, 1, 2, 3, 4}, new double[] {0.5, 2, 0, 1.5}, fill, null);
            BufferedImage img = f.image();
            double[] heights = {0.5, 2, 0, 1.5};
            for (int i = 0; i < 4; i++) {
                double cx = a.px(i + 0.5);
                if (heights[i] > 0) {
                    assertEquals(fill.getRGB() & 0xFFFFFF, rgb(img, cx, a.py(heights[i] / 2)), "inside bar " + i);
                    assertEquals(fill.getRGB() & 0xFFFFFF, rgb(img, cx, a.py(heights[i]) + 2), "just below the top of bar " + i);
                }
                if (heights[i] < 2) {
                    assertEquals(WHITE, rgb(img, cx, a.py(heights[i]) - 3), "above bar " + i);
                }
            }
            // bars end at their bin edges: just outside bin 1's left edge is bar 0's height, not bar 1's
            assertEquals(WHITE, rgb(img, a.px(1) - 3, a.py(1.0)));
            assertEquals(fill.getRGB() & 0xFFFFFF, rgb(img, a.px(1) + 3, a.py(1.0)));
        }
    }

    @Test
    void barsAreClippedToThePlotArea() {
        try (Figure f = new Figure(100, 100)) {
            Axes a = new Axes(f, 10, 10, 80, 80, 0, 1, 0, 1);
            Bars.bar(a, 0.2, 0.8, 0, 5, Color.RED, null); // far above the y range
            assertEquals(WHITE, rgb(f.image(), 50, 5), "nothing drawn above the plot area");
            assertEquals(Color.RED.getRGB() & 0xFFFFFF, rgb(f.image(), 50, 12));
        }
    }

    @Test
    void pixelRectOrdersItsBounds() {
        try (Figure f = new Figure(100, 100)) {
            Axes a = new Axes(f, 0, 0, 100, 100, 0, 10, 0, 10);
            Rectangle2D r = Bars.pixelRect(a, 4, 2, 7, 3);
            assertEquals(new Rectangle2D.Double(20, 30, 20, 40), r);
        }
    }

    @Test
    void densitiesIntegrateToOne() {
        double[] d = Histogram.densities(new long[] {1, 3, 0, 4}, 0, 2); // w = 0.5, N = 8
        assertArrayEquals(new double[] {0.25, 0.75, 0, 1.0}, d, 1e-15);
        double integral = 0;
        for (double v : d) {
            integral += v * 0.5;
        }
        assertEquals(1.0, integral, 1e-15);
        assertArrayEquals(new double[3], Histogram.densities(new long[3], 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Histogram.densities(new long[] {1, -1}, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Bars.draw(new Axes(new Figure(10, 10), 0, 0, 10, 10, 0, 1, 0, 1),
                new double[] {0, 1}, new double[] {1, 2}, Color.RED, null));
    }

    @Test
    void overlaidHistogramsShowBothFillsAndTheirOverlap() {
        try (Figure f = new Figure(240, 160)) {
            Axes a = new Axes(f, 20, 10, 200, 140, 0, 2, 0, 2);
            Color blue = new Color(31, 119, 180);
            Color orange = new Color(255, 127, 14);
            // series 1: all mass in the first bin; series 2: half in bin 0, half in bin 1
            Histogram.draw(a, 0, 2, Histogram.densities(new long[] {10, 0}, 0, 2), new Color(31, 119, 180, 90), blue, 2f);
            Histogram.draw(a, 0, 2, Histogram.densities(new long[] {5, 5}, 0, 2), new Color(255, 127, 14, 90), orange, 2f);
            BufferedImage img = f.image();
            int onlyBlue = rgb(img, a.px(0.5), a.py(0.8));   // density 1 of series 1 above series 2's 0.5
            int both = rgb(img, a.px(0.5), a.py(0.25));
            int onlyOrange = rgb(img, a.px(1.5), a.py(0.25));
            int none = rgb(img, a.px(1.5), a.py(0.8));
            assertEquals(WHITE, none);
            assertTrue(blueish(onlyBlue), Integer.toHexString(onlyBlue));
            assertTrue(orangeish(onlyOrange), Integer.toHexString(onlyOrange));
            assertNotEquals(onlyBlue, both);
            assertNotEquals(onlyOrange, both);
            // the outline of series 1 runs along y = 1 over bin 0
            int edge = rgb(img, a.px(0.5), a.py(1.0));
            assertTrue(blueish(edge), Integer.toHexString(edge));
        }
    }

    @Test
    void hatchedBarsLetTheBackgroundShowBetweenTheirLines() {
        try (Figure f = new Figure(120, 120)) {
            Axes a = new Axes(f, 10, 10, 100, 100, 0, 1, 0, 1);
            Bars.bar(a, 0, 1, 0, 0.5, Color.BLUE, null);
            Bars.bar(a, 0, 1, 0.25, 1, Hatch.of(Color.RED, 6, 1.5f), null);
            BufferedImage img = f.image();
            int red = 0;
            int blue = 0;
            int white = 0;
            int other = 0;
            for (int y = (int) a.py(0.45); y < (int) a.py(0.3); y++) {  // hatch over the blue bar
                for (int x = 30; x < 90; x++) {
                    int c = rgb(img, x, y);
                    if (c == 0x0000FF) {
                        blue++;
                    } else if (((c >> 16) & 0xFF) > 150 && (c & 0xFF) < 100) {
                        red++;
                    } else {
                        other++;
                    }
                }
            }
            assertTrue(red > 50 && blue > 50, "red " + red + " blue " + blue + " other " + other);
            red = 0;
            for (int y = (int) a.py(0.9); y < (int) a.py(0.6); y++) {  // hatch over white
                for (int x = 30; x < 90; x++) {
                    int c = rgb(img, x, y);
                    white += c == WHITE ? 1 : 0;
                    red += ((c >> 16) & 0xFF) > 150 && (c & 0xFF) < 100 ? 1 : 0;
                }
            }
            assertTrue(red > 50 && white > 50, "red " + red + " white " + white);
            assertEquals(0x0000FF, rgb(img, a.px(0.5), a.py(0.1)), "below the hatched range the bar is untouched");
        }
        assertThrows(IllegalArgumentException.class, () -> Hatch.of(Color.RED, 2, 1f));
    }

    private static boolean blueish(int rgb) {
        return (rgb & 0xFF) > ((rgb >> 16) & 0xFF) + 30;
    }

    private static boolean orangeish(int rgb) {
        return ((rgb >> 16) & 0xFF) > (rgb & 0xFF) + 30;
    }
}
