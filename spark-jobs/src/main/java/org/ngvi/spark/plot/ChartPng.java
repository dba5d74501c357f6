package org.ngvi.spark.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartRenderingInfo;
import org.ngvi.io.AtomicFiles;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;

/**
 * Charts to pixels: a {@link JFreeChart} drawn into an opaque RGB image (headless), and PNGs
 * written through {@link ChartUtils} into a temporary sibling renamed onto the target
 * ({@link AtomicFiles}), so a reader never sees a partial file.
 */
public final class ChartPng {
    static {
        Headless.ensure();
    }

    private ChartPng() {
    }

    /**
     * {@code chart} drawn into a new {@code width × height} RGB image; when {@code info} is not
     * null it receives the layout (chart area, plot and data areas of every (sub)plot).
     */
    public static BufferedImage render(JFreeChart chart, int width, int height, ChartRenderingInfo info) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("chart size must be positive, got " + width + "x" + height);
        }
        return chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, info);
    }

    /**
     * The layout of {@code chart} drawn into {@code area}, found by drawing it onto a 1 × 1 scratch
     * image (everything outside is clipped away): where its data areas would be.
     */
    public static ChartRenderingInfo layout(JFreeChart chart, Rectangle2D area) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            g.setClip(0, 0, 1, 1);
            ChartRenderingInfo info = new ChartRenderingInfo();
            chart.draw(g, area, info);
            return info;
        } finally {
            g.dispose();
        }
    }

    /** A white {@code width × height} RGB canvas with anti-aliased shapes and text, for composing several charts. */
    public static BufferedImage canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** A graphics context on {@code image} with the hints JFreeChart uses for its own images. */
    public static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        return g;
    }

    /** Writes {@code chart} at {@code width × height} as PNG onto {@code path}, atomically. */
    public static void write(JFreeChart chart, int width, int height, Path path) throws IOException {
        write(render(chart, width, height, null), path);
    }

    /** Writes {@code image} as PNG onto {@code path}, atomically. */
    public static void write(BufferedImage image, Path path) throws IOException {
        AtomicFiles.write(path, temp -> {
            try (OutputStream out = Files.newOutputStream(temp)) {
                ChartUtils.writeBufferedImageAsPNG(out, image);
            }
        });
    }
}
