package org.ngvi.spark.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.ngvi.io.AtomicFiles;

/**
 * A white RGB canvas of fixed pixel size with an anti-aliased {@link Graphics2D}; panels
 * ({@link Axes}) are placed on it in pixel coordinates (origin top left, y down).
 */
public final class Figure implements AutoCloseable {
    static {
        Headless.ensure();
    }

    /** The default font family (DejaVu Sans on Debian; AWT substitutes when it is absent). */
    public static final String FONT_FAMILY = Font.SANS_SERIF;

    private final BufferedImage image;
    private final Graphics2D g;

    /** A blank (white) figure of {@code width} × {@code height} pixels. */
    public Figure(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("figure size must be positive, got " + width + "x" + height);
        }
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(FONT_FAMILY, Font.PLAIN, 13));
    }

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }

    public Graphics2D graphics() {
        return g;
    }

    public BufferedImage image() {
        return image;
    }

    /** Draws {@code text} horizontally centred on x = {@code cx} with its baseline at {@code y}. */
    public void centredText(String text, double cx, double y, Font font, Color color) {
        Font old = g.getFont();
        g.setFont(font);
        g.setColor(color);
        int w = g.getFontMetrics().stringWidth(text);
        g.drawString(text, (float) (cx - w / 2.0), (float) y);
        g.setFont(old);
    }

    /** Writes the figure as PNG through a temporary file renamed onto {@code path}. */
    public void writePng(Path path) throws IOException {
        AtomicFiles.write(path, temp -> {
            if (!ImageIO.write(image, "png", temp.toFile())) {
                throw new IOException("no PNG writer available in ImageIO");
            }
        });
    }

    @Override
    public void close() {
        g.dispose();
    }
}
