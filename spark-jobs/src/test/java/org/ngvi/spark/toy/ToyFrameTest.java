package org.ngvi.spark.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.ngvi.spark.plot.Colormap;
import org.ngvi.spark.plot.PlotPixels;
import org.ngvi.spark.plot.RegularGrid;

/**
 * A toy frame from made-up fields whose pictures are known: p(y = 1 | x) = σ(x1 − c) has its
 * boundary at x1 = c, so Adam's line (c = 0), VOGN's mean (c = 3) and a sample (c = −3) must show
 * at those columns, and the entropy maps must carry the viridis colour of their value at every node.
 */
class ToyFrameTest {
    private static final Blobs DATA = Blobs.generate(5, 20, 1, 10, 19);

    private static double[] field(RegularGrid g, DoubleUnaryOperator ofX1) {
        return field(g, (x, y) -> ofX1.applyAsDouble(x));
    }

    private static double[] field(RegularGrid g, DoubleBinaryOperator f) {
        double[] v = new double[g.size()];
        for (int j = 0; j < g.ny(); j++) {
            for (int i = 0; i < g.nx(); i++) {
                v[j * g.nx() + i] = f.applyAsDouble(g.x(i), g.y(j));
            }
        }
        return v;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void panelsShowTheBoundariesTheEntropyColoursAndThePointsAtOneScale() {
        double[] b = DATA.bounds();
        RegularGrid grid = RegularGrid.covering(b[0] - 1, b[1] + 1, b[2] - 1, b[3] + 1, 0.25);
        double[] adam = field(grid, x -> sigmoid(x));
        double[] vogn = field(grid, x -> sigmoid(x - 3));
        double[] sample = field(grid, x -> sigmoid(x + 3));
        double[] adamH = field(grid, x -> PointPredictor.entropy(sigmoid(x)));
        double[] vognH = field(grid, (x, y) -> PointPredictor.entropy(sigmoid((x + y) / 4))); // y matters: no flip
        ToyFrame frame = new ToyFrame(50, DATA, grid, adam, vogn, new double[][] {sample}, adamH, vognH, 100);
        ToyFrame.Rendered r = frame.renderWithLayout();
        BufferedImage img = r.image();
        assertEquals(ToyFrame.WIDTH, img.getWidth());
        assertEquals(ToyFrame.HEIGHT, img.getHeight());

        PlotPixels[] panels = new PlotPixels[3];
        for (int i = 0; i < 3; i++) {
            panels[i] = PlotPixels.of(r.charts()[i], r.layout()[i]);
        }
        // equal data areas, x and y at one scale
        double xr = grid.xMax() - grid.x0() + grid.step();
        double yr = grid.yMax() - grid.y0() + grid.step();
        Rectangle2D a0 = panels[0].dataArea();
        for (PlotPixels p : panels) {
            assertEquals(a0.getWidth(), p.dataArea().getWidth(), 1.0);
            assertEquals(a0.getHeight(), p.dataArea().getHeight(), 1.0);
            assertEquals(xr / yr, p.dataArea().getWidth() / p.dataArea().getHeight(), 0.01);
        }

        // boundaries: blue column at x1 = 0, red at 3, light red at -3, away from the points
        PlotPixels p0 = panels[0];
        int blue = 0;
        int red = 0;
        int pink = 0;
        int rows = 0;
        for (double y = b[2]; y <= b[3]; y += 0.5) {
            if (nearPoint(0, y) || nearPoint(3, y) || nearPoint(-3, y)) {
                continue;
            }
            rows++;
            blue += any(img, p0, 0, y, c -> (c & 0xFF) > 150 && ((c >> 16) & 0xFF) < 80) ? 1 : 0;
            red += any(img, p0, 3, y, c -> ((c >> 16) & 0xFF) > 180 && ((c >> 8) & 0xFF) < 80) ? 1 : 0;
            pink += any(img, p0, -3, y, c -> ((c >> 16) & 0xFF) > 230 && ((c >> 8) & 0xFF) < 225
                    && ((c >> 8) & 0xFF) > 150) ? 1 : 0;
        }
        assertTrue(rows > 10, "rows checked " + rows);
        assertTrue(blue >= rows - 1 && red >= rows - 1 && pink >= rows - 1,
                "of " + rows + " rows: Adam " + blue + ", VOGN mean " + red + ", sample " + pink);

        // entropy maps: the colour of the node's value at the node, away from the points
        int checked = 0;
        for (int j = 1; j < grid.ny() - 1; j += 7) {
            for (int i = 1; i < grid.nx() - 1; i += 5) {
                if (nearPoint(grid.x(i), grid.y(j))) {
                    continue;
                }
                int k = j * grid.nx() + i;
                assertEquals(Colormap.VIRIDIS.rgb(adamH[k], 0, Math.log(2)), panels[1].rgb(img, grid.x(i), grid.y(j)),
                        "Adam entropy at node " + i + "," + j);
                assertEquals(Colormap.VIRIDIS.rgb(vognH[k], 0, Math.log(2)), panels[2].rgb(img, grid.x(i), grid.y(j)),
                        "VOGN entropy at node " + i + "," + j);
                checked++;
            }
        }
        assertTrue(checked > 20, "nodes checked " + checked);

        // the training points are drawn over the maps: a class-0 circle is orange at its centre
        double x = DATA.coordinate(0, 0)[0];
        double y = DATA.coordinate(1, 0)[0];
        for (PlotPixels p : panels) {
            int c = p.rgb(img, x, y);
            assertTrue(((c >> 16) & 0xFF) > 200 && ((c >> 8) & 0xFF) > 90 && (c & 0xFF) < 80, Integer.toHexString(c));
        }
        // the colour bar right of the VOGN panel runs from viridis' end (top) to its start (bottom)
        Rectangle2D a2 = panels[2].dataArea();
        int top = img.getRGB((int) a2.getMaxX() + 22, (int) a2.getMinY() + 3) & 0xFFFFFF;
        int bottom = img.getRGB((int) a2.getMaxX() + 22, (int) a2.getMaxY() - 3) & 0xFFFFFF;
        assertTrue(near(top, 0xFDE725), Integer.toHexString(top));
        assertTrue(near(bottom, 0x440154), Integer.toHexString(bottom));
    }

    private interface Pixel {
        boolean test(int rgb);
    }

    /** Some pixel within 3 px left or right of data (x, y) passes {@code p}. */
    private static boolean any(BufferedImage img, PlotPixels panel, double x, double y, Pixel p) {
        for (int dx = -3; dx <= 3; dx++) {
            if (p.test(panel.rgb(img, x, y, dx, 0))) {
                return true;
            }
        }
        return false;
    }

    private static boolean nearPoint(double x, double y) {
        for (int i = 0; i < DATA.size(); i++) {
            if (Math.hypot(DATA.x()[i][0] - x, DATA.x()[i][1] - y) < 0.8) {
                return true;
            }
        }
        return false;
    }

    private static boolean near(int a, int b) {
        for (int s = 0; s <= 16; s += 8) {
            if (Math.abs(((a >> s) & 0xFF) - ((b >> s) & 0xFF)) > 24) {
                return false;
            }
        }
        return true;
    }
}
