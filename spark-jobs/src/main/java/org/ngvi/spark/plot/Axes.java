package org.ngvi.spark.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;

/**
 * A rectangular plot area on a {@link Figure}: the affine map from data coordinates
 * [xMin, xMax] × [yMin, yMax] to the pixel rectangle [left, left + width] × [top, top + height]
 * with y pointing up,
 * <pre>
 *   px(x) = left + (x − xMin) / (xMax − xMin) · width
 *   py(y) = top + (yMax − y) / (yMax − yMin) · height
 * </pre>
 * plus the decorations of a panel: frame, "nice" ticks (1, 2, 5 × 10ᵏ), dashed grid, title and
 * axis labels, and scatter markers.
 */
public final class Axes {
    private final Figure figure;
    private final double left;
    private final double top;
    private final double width;
    private final double height;
    private final double xMin;
    private final double xMax;
    private final double yMin;
    private final double yMax;

    /** Marker shapes for {@link #scatter}. */
    public enum Marker { CIRCLE, SQUARE }

    public Axes(Figure figure, double left, double top, double width, double height,
                double xMin, double xMax, double yMin, double yMax) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("axes pixel size must be positive, got " + width + "x" + height);
        }
        if (!(xMax > xMin) || !(yMax > yMin)) {
            throw new IllegalArgumentException("axes data range must be non-empty, got x [" + xMin + ", " + xMax
                    + "], y [" + yMin + ", " + yMax + "]");
        }
        this.figure = figure;
        this.left = left;
        this.top = top;
        this.width = width;
        this.height = height;
        this.xMin = xMin;
        this.xMax = xMax;
        this.yMin = yMin;
        this.yMax = yMax;
    }

    public Figure figure() {
        return figure;
    }

    /** Pixel column of data x. */
    public double px(double x) {
        return left + (x - xMin) / (xMax - xMin) * width;
    }

    /** Pixel row of data y (y up in data, down in pixels). */
    public double py(double y) {
        return top + (yMax - y) / (yMax - yMin) * height;
    }

    /** Data x of pixel column {@code px} (inverse of {@link #px}). */
    public double dataX(double px) {
        return xMin + (px - left) / width * (xMax - xMin);
    }

    /** Data y of pixel row {@code py} (inverse of {@link #py}). */
    public double dataY(double py) {
        return yMax - (py - top) / height * (yMax - yMin);
    }

    /** The plot area in pixels. */
    public Rectangle2D pixelBounds() {
        return new Rectangle2D.Double(left, top, width, height);
    }

    public double xMin() {
        return xMin;
    }

    public double xMax() {
        return xMax;
    }

    public double yMin() {
        return yMin;
    }

    public double yMax() {
        return yMax;
    }

    /**
     * Tick positions in [lo, hi] at a "nice" spacing d = m · 10ᵏ, m ∈ {1, 2, 5}, the smallest
     * such d giving at most {@code maxTicks} ticks; every tick is an integer multiple of d.
     */
    public static double[] ticks(double lo, double hi, int maxTicks) {
        if (!(hi > lo) || maxTicks < 2) {
            throw new IllegalArgumentException("ticks need lo < hi and maxTicks >= 2, got [" + lo + ", " + hi + "], " + maxTicks);
        }
        double raw = (hi - lo) / (maxTicks - 1);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = 10 * mag;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * mag >= raw * (1 - 1e-12)) {
                step = m * mag;
                break;
            }
        }
        while (true) {
            long first = (long) Math.ceil(lo / step - 1e-9);
            long last = (long) Math.floor(hi / step + 1e-9);
            if (last - first + 1 <= maxTicks) {
                double[] t = new double[(int) Math.max(0, last - first + 1)];
                for (int i = 0; i < t.length; i++) {
                    t[i] = (first + i) * step;
                    if (Math.abs(t[i]) < step * 1e-9) {
                        t[i] = 0; // no "-0"
                    }
                }
                return t;
            }
            step *= 2; // rounding pushed one tick too many: take the next coarser spacing
        }
    }

    /** A tick label: integers without decimals, else the fewest decimals that show the value. */
    public static String tickLabel(double v) {
        if (Math.abs(v - Math.rint(v)) < 1e-9) {
            return Long.toString(Math.round(v));
        }
        for (int d = 1; d <= 6; d++) {
            String s = String.format(Locale.ROOT, "%." + d + "f", v);
            if (Math.abs(Double.parseDouble(s) - v) < 1e-9 * Math.max(1, Math.abs(v))) {
                return s;
            }
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** Restricts drawing to the plot area (undo with {@link #unclip}). */
    public void clip() {
        figure.graphics().setClip(pixelBounds());
    }

    public void unclip() {
        figure.graphics().setClip(null);
    }

    /** Light dashed grid lines at the ticks (draw before the data). */
    public void grid() {
        Graphics2D g = figure.graphics();
        g.setColor(new Color(0, 0, 0, 40));
        g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        for (double t : ticks(xMin, xMax, 7)) {
            g.draw(new Line2D.Double(px(t), top, px(t), top + height));
        }
        for (double t : ticks(yMin, yMax, 7)) {
            g.draw(new Line2D.Double(left, py(t), left + width, py(t)));
        }
    }

    /**
     * Frame, outward ticks with labels on the bottom and left axes, axis labels and a title
     * centred above the plot area.
     */
    public void decorate(String title, String xLabel, String yLabel) {
        Graphics2D g = figure.graphics();
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.2f));
        g.draw(pixelBounds());
        Font tickFont = new Font(Figure.FONT_FAMILY, Font.PLAIN, 12);
        g.setFont(tickFont);
        FontMetrics fm = g.getFontMetrics();
        for (double t : ticks(xMin, xMax, 7)) {
            double x = px(t);
            g.draw(new Line2D.Double(x, top + height, x, top + height + 5));
            String s = tickLabel(t);
            g.drawString(s, (float) (x - fm.stringWidth(s) / 2.0), (float) (top + height + 7 + fm.getAscent()));
        }
        int widest = 0;
        for (double t : ticks(yMin, yMax, 7)) {
            double y = py(t);
            g.draw(new Line2D.Double(left - 5, y, left, y));
            String s = tickLabel(t);
            widest = Math.max(widest, fm.stringWidth(s));
            g.drawString(s, (float) (left - 8 - fm.stringWidth(s)), (float) (y + fm.getAscent() / 2.0 - 1));
        }
        Font labelFont = new Font(Figure.FONT_FAMILY, Font.PLAIN, 14);
        if (xLabel != null) {
            figure.centredText(xLabel, left + width / 2, top + height + 12 + fm.getHeight() + 14, labelFont, Color.BLACK);
        }
        if (yLabel != null) {
            AffineTransform saved = g.getTransform();
            g.translate(left - 14 - widest - 6, top + height / 2);
            g.rotate(-Math.PI / 2);
            figure.centredText(yLabel, 0, 0, labelFont, Color.BLACK);
            g.setTransform(saved);
        }
        if (title != null) {
            figure.centredText(title, left + width / 2, top - 10, new Font(Figure.FONT_FAMILY, Font.BOLD, 15), Color.BLACK);
        }
    }

    /** A marker of pixel size {@code size} centred at data (x, y): filled with {@code fill}, outlined with {@code edge}. */
    public void marker(double x, double y, Marker marker, double size, Color fill, Color edge) {
        markerAtPixel(figure.graphics(), px(x), py(y), marker, size, fill, edge);
    }

    /** Markers at the points (xs[i], ys[i]). */
    public void scatter(double[] xs, double[] ys, Marker marker, double size, Color fill, Color edge) {
        for (int i = 0; i < xs.length; i++) {
            marker(xs[i], ys[i], marker, size, fill, edge);
        }
    }

    static void markerAtPixel(Graphics2D g, double cx, double cy, Marker marker, double size, Color fill, Color edge) {
        double h = size / 2;
        Shape s = marker == Marker.CIRCLE ? new Ellipse2D.Double(cx - h, cy - h, size, size)
                : new Rectangle2D.Double(cx - h * 0.9, cy - h * 0.9, size * 0.9, size * 0.9);
        g.setColor(fill);
        g.fill(s);
        g.setColor(edge);
        g.setStroke(new BasicStroke(1f));
        g.draw(s);
    }
}
