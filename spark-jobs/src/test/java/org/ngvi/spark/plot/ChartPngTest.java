package org.ngvi.spark.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartPngTest {
    @TempDir
    Path dir;

    private static JFreeChart chart() {
        XYSeries s = new XYSeries("line");
        s.add(0, 0);
        s.add(1, 1);
        NumberAxis x = new NumberAxis("x");
        x.setRange(0, 1);
        NumberAxis y = new NumberAxis("y");
        y.setRange(0, 1);
        return ChartStyle.chart("a chart", new XYPlot(new XYSeriesCollection(s), x, y, new XYLineAndShapeRenderer(true, false)));
    }

    @Test
    void pngIsWrittenWholeAtTheTargetWithAWhiteBackground() throws IOException {
        Path png = dir.resolve("sub/f.png");
        ChartPng.write(chart(), 320, 240, png);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(320, back.getWidth());
        assertEquals(240, back.getHeight());
        assertEquals(0xFFFFFF, back.getRGB(2, 2) & 0xFFFFFF, "chart background is white, not JFreeChart's grey");
        try (var s = Files.list(png.getParent())) {
            assertEquals(1, s.count()); // no temporary file left
        }
        ChartPng.write(chart(), 100, 80, png); // replaces
        assertEquals(100, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void layoutDryRunFindsTheDataAreaOfTheRealDrawing() {
        JFreeChart c = chart();
        var info = new org.jfree.chart.ChartRenderingInfo();
        ChartPng.render(c, 400, 300, info);
        Rectangle2D dry = ChartPng.layout(c, new Rectangle2D.Double(0, 0, 400, 300)).getPlotInfo().getDataArea();
        assertEquals(info.getPlotInfo().getDataArea(), dry);
        assertThrows(IllegalArgumentException.class, () -> ChartPng.render(c, 0, 10, null));
    }
}
