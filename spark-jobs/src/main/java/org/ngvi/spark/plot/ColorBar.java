package org.ngvi.spark.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;

/** A vertical colour bar for a {@link Colormap} on [vMin, vMax] (vMin at the bottom), with ticks and a label. */
public final class ColorBar {
    private ColorBar() {
    }

    /**
     * Draws the bar into the pixel rectangle (left, top, width, height), tick labels to its
     * right and {@code label} (may be null) rotated beside them.
     */
    public static void draw(Figure figure, double left, double top, double width, double height,
                            Colormap colormap, double vMin, double vMax, String label) {
        Graphics2D g = figure.graphics();
        int rows = (int) Math.round(height);
        for (int r = 0; r < rows; r++) {
            double t = 1 - (r + 0.5) / rows;
            g.setColor(new Color(colormap.rgb(t)));
            g.fill(new Rectangle2D.Double(left, top + r, width, 1.0));
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(left, top, width, height));
        g.setFont(new Font(Figure.FONT_FAMILY, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int widest = 0;
        for (double t : Axes.ticks(vMin, vMax, 6)) {
            double y = top + (vMax - t) / (vMax - vMin) * height;
            g.draw(new Line2D.Double(left + width, y, left + width + 4, y));
            String s = Axes.tickLabel(t);
            widest = Math.max(widest, fm.stringWidth(s));
            g.drawString(s, (float) (left + width + 7), (float) (y + fm.getAscent() / 2.0 - 1));
        }
        if (label != null) {
            AffineTransform saved = g.getTransform();
            g.translate(left + width + 12 + widest + fm.getAscent(), top + height / 2);
            g.rotate(-Math.PI / 2);
            figure.centredText(label, 0, 0, new Font(Figure.FONT_FAMILY, Font.PLAIN, 14), Color.BLACK);
            g.setTransform(saved);
        }
    }
}
