package org.ngvi.spark.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.TexturePaint;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * A hatch fill: diagonal lines (lower left to upper right) of one colour on a transparent
 * background, repeating every {@code spacing} pixels, so that whatever lies beneath (white, or
 * another bar) shows between the lines and the hatch reads the same on both.
 */
public final class Hatch {
    private Hatch() {
    }

    /** Lines of {@code color}, {@code width} pixels wide, {@code spacing} pixels apart (≥ 3). */
    public static TexturePaint of(Color color, int spacing, float width) {
        if (spacing < 3) {
            throw new IllegalArgumentException("hatch spacing must be >= 3 pixels, got " + spacing);
        }
        BufferedImage tile = new BufferedImage(spacing, spacing, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = tile.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(color);
        g.setStroke(new BasicStroke(width));
        // the diagonal and its neighbours, so the lines join across tiles
        for (int k = -1; k <= 1; k++) {
            g.draw(new Line2D.Double(k * spacing, spacing, k * spacing + spacing, 0));
        }
        g.dispose();
        return new TexturePaint(tile, new Rectangle2D.Double(0, 0, spacing, spacing));
    }
}
