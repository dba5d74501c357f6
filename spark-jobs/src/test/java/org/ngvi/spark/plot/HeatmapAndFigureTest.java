package org.ngvi.spark.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapAndFigureTest {
    @TempDir
    Path dir;

    @Test
    void heatmapCellsAreCentredOnTheirNodesWithYUp() {
        RegularGrid grid = new RegularGrid(0, 0, 1, 2, 2);
        // node (0,0) = 0 -> start of the map, node (1,1) = 1 -> end, others in between
        double[] field = {0, 0.5, 0.5, 1};
        try (Figure f = new Figure(100, 100)) {
            Axes a = new Axes(f, 0, 0, 100, 100, -0.5, 1.5, -0.5, 1.5);
            Heatmap.draw(a, grid, field, Colormap.VIRIDIS, 0, 1);
            BufferedImage img = f.image();
            assertEquals(Colormap.VIRIDIS.rgb(0.0), img.getRGB((int) a.px(0), (int) a.py(0)) & 0xFFFFFF);
            assertEquals(Colormap.VIRIDIS.rgb(1.0), img.getRGB((int) a.px(1), (int) a.py(1)) & 0xFFFFFF);
            assertEquals(Colormap.VIRIDIS.rgb(0.5), img.getRGB((int) a.px(1), (int) a.py(0)) & 0xFFFFFF);
        }
    }

    @Test
    void heatmapRejectsAFieldOfTheWrongSize() {
        try (Figure f = new Figure(10, 10)) {
            Axes a = new Axes(f, 0, 0, 10, 10, 0, 1, 0, 1);
            assertThrows(IllegalArgumentException.class,
                    () -> Heatmap.draw(a, new RegularGrid(0, 0, 1, 2, 2), new double[3], Colormap.VIRIDIS, 0, 1));
        }
    }

    @Test
    void pngIsWrittenWholeAtTheTarget() throws IOException {
        Path png = dir.resolve("sub/f.png");
        try (Figure f = new Figure(64, 48)) {
            f.writePng(png);
        }
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(64, back.getWidth());
        assertEquals(48, back.getHeight());
        assertEquals(0xFFFFFF, back.getRGB(10, 10) & 0xFFFFFF);
        try (var s = Files.list(png.getParent())) {
            assertEquals(1, s.count()); // no temporary file left
        }
    }

    @Test
    void gridCoversTheRangeLikeArange() {
        RegularGrid g = RegularGrid.covering(-1, 1, 0, 0.5, 0.25);
        assertEquals(8, g.nx()); // -1, -0.75, ..., 0.75
        assertEquals(2, g.ny());
        assertEquals(0.75, g.xMax(), 1e-12);
    }
}
