package org.ngvi.spark.plot;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A field on a {@link RegularGrid} drawn as coloured cells: node (i, j) fills the cell of width
 * and height {@code step} centred on it, coloured by {@code colormap((v − vMin)/(vMax − vMin))}.
 * One image pixel per node, scaled to the axes with nearest-neighbour sampling (no smoothing that
 * would invent values).
 */
public final class Heatmap {
    private Heatmap() {
    }

    public static void draw(Axes axes, RegularGrid grid, double[] field, Colormap colormap, double vMin, double vMax) {
        grid.requireField(field, "heatmap field");
        if (!(vMax > vMin)) {
            throw new IllegalArgumentException("heatmap colour range must be non-empty, got [" + vMin + ", " + vMax + "]");
        }
        BufferedImage img = new BufferedImage(grid.nx(), grid.ny(), BufferedImage.TYPE_INT_RGB);
        for (int j = 0; j < grid.ny(); j++) {
            int row = grid.ny() - 1 - j; // image rows go down, y goes up
            for (int i = 0; i < grid.nx(); i++) {
                img.setRGB(i, row, colormap.rgb(field[j * grid.nx() + i], vMin, vMax));
            }
        }
        double h = grid.step() / 2;
        double x0 = axes.px(grid.x0() - h);
        double x1 = axes.px(grid.xMax() + h);
        double y0 = axes.py(grid.yMax() + h);
        double y1 = axes.py(grid.y0() - h);
        Graphics2D g = axes.figure().graphics();
        Object old = g.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        axes.clip();
        g.drawImage(img, (int) Math.round(x0), (int) Math.round(y0), (int) Math.round(x1 - x0),
                (int) Math.round(y1 - y0), null);
        axes.unclip();
        if (old != null) {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, old);
        }
    }
}
