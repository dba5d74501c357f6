package org.ngvi.spark.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/** A legend box in a corner of an {@link Axes}: entries are line samples, markers or filled patches with a label. */
public final class Legend {
    private record Entry(String label, Color color, Paint fill, Stroke stroke, Axes.Marker marker, Color edge) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** A line entry drawn with {@code color} and {@code stroke}. */
    public Legend line(String label, Color color, Stroke stroke) {
        entries.add(new Entry(label, color, null, stroke, null, null));
        return this;
    }

    /** A filled-rectangle entry (for bars and histograms; any paint, e.g. a {@link Hatch}), outlined with {@code edge}. */
    public Legend patch(String label, Paint fill, Color edge) {
        entries.add(new Entry(label, null, fill, null, null, edge));
        return this;
    }

    /** A marker entry. */
    public Legend marker(String label, Axes.Marker marker, Color fill, Color edge) {
        entries.add(new Entry(label, fill, null, null, marker, edge));
        return this;
    }

    /** Draws the legend inside the lower-right corner of {@code axes}. */
    public void drawLowerRight(Axes axes) {
        draw(axes, Corner.LOWER_RIGHT);
    }

    /** Corners of the plot area. */
    public enum Corner { LOWER_RIGHT, LOWER_LEFT, UPPER_RIGHT, UPPER_LEFT }

    /**
     * Draws the legend in the corner of {@code axes} whose legend box covers the fewest of the
     * data points (xs[i], ys[i]) (ties: the order of {@link Corner}); returns that corner.
     */
    public Corner drawAvoiding(Axes axes, double[] xs, double[] ys) {
        Corner best = Corner.LOWER_RIGHT;
        int fewest = Integer.MAX_VALUE;
        for (Corner c : Corner.values()) {
            Rectangle2D box = box(axes, c);
            int n = 0;
            for (int i = 0; i < xs.length; i++) {
                if (box.contains(axes.px(xs[i]), axes.py(ys[i]))) {
                    n++;
                }
            }
            if (n < fewest) {
                fewest = n;
                best = c;
            }
        }
        draw(axes, best);
        return best;
    }

    private static final int SAMPLE = 26;
    private static final int PAD = 6;
    private static final int INSET = 8;

    private FontMetrics metrics(Axes axes) {
        Graphics2D g = axes.figure().graphics();
        g.setFont(new Font(Figure.FONT_FAMILY, Font.PLAIN, 12));
        return g.getFontMetrics();
    }

    /** The legend's pixel box in corner {@code c}. */
    public Rectangle2D box(Axes axes, Corner c) {
        FontMetrics fm = metrics(axes);
        int rowH = fm.getHeight() + 2;
        int textW = 0;
        for (Entry e : entries) {
            textW = Math.max(textW, fm.stringWidth(e.label()));
        }
        double w = PAD * 3 + SAMPLE + textW;
        double h = PAD * 2 + rowH * entries.size();
        Rectangle2D area = axes.pixelBounds();
        boolean right = c == Corner.LOWER_RIGHT || c == Corner.UPPER_RIGHT;
        boolean lower = c == Corner.LOWER_RIGHT || c == Corner.LOWER_LEFT;
        double x = right ? area.getMaxX() - w - INSET : area.getMinX() + INSET;
        double y = lower ? area.getMaxY() - h - INSET : area.getMinY() + INSET;
        return new Rectangle2D.Double(x, y, w, h);
    }

    private void draw(Axes axes, Corner corner) {
        Graphics2D g = axes.figure().graphics();
        FontMetrics fm = metrics(axes);
        int rowH = fm.getHeight() + 2;
        Rectangle2D box = box(axes, corner);
        double x = box.getX();
        double y = box.getY();
        double w = box.getWidth();
        double h = box.getHeight();
        g.setColor(new Color(255, 255, 255, 225));
        g.fill(new Rectangle2D.Double(x, y, w, h));
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.draw(new Rectangle2D.Double(x, y, w, h));
        for (int k = 0; k < entries.size(); k++) {
            Entry e = entries.get(k);
            double cy = y + PAD + rowH * k + rowH / 2.0;
            if (e.fill() != null) {
                Rectangle2D sample = new Rectangle2D.Double(x + PAD, cy - 6, SAMPLE, 12);
                g.setPaint(e.fill());
                g.fill(sample);
                g.setColor(e.edge());
                g.setStroke(new BasicStroke(1.5f));
                g.draw(sample);
            } else if (e.marker() == null) {
                g.setColor(e.color());
                g.setStroke(e.stroke());
                g.draw(new Line2D.Double(x + PAD, cy, x + PAD + SAMPLE, cy));
            } else {
                Axes.markerAtPixel(g, x + PAD + SAMPLE / 2.0, cy, e.marker(), 9, e.color(), e.edge());
            }
            g.setColor(Color.BLACK);
            g.drawString(e.label(), (float) (x + PAD * 2 + SAMPLE), (float) (cy + fm.getAscent() / 2.0 - 1));
        }
    }
}
