package org.ngvi.spark.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GifWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesALoopingAnimationWithTheFrameDelay() throws IOException {
        Path gif = dir.resolve("a.gif");
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
        try (GifWriter w = new GifWriter(gif, 1000, 0)) {
            for (Color c : colours) {
                w.addFrame(filled(c));
            }
            w.finish();
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
            r.setInput(in);
            assertEquals(3, r.getNumImages(true));
            for (int i = 0; i < 3; i++) {
                BufferedImage img = r.read(i);
                assertEquals(40, img.getWidth());
                assertEquals(30, img.getHeight());
                assertEquals(colours[i].getRGB() & 0xFFFFFF, img.getRGB(20, 15) & 0xFFFFFF, "frame " + i);
                IIOMetadataNode root = (IIOMetadataNode) r.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
                assertEquals("100", gce.getAttribute("delayTime"));
            }
            IIOMetadataNode first = (IIOMetadataNode) r.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            IIOMetadataNode app = (IIOMetadataNode) first.getElementsByTagName("ApplicationExtension").item(0);
            assertNotNull(app, "NETSCAPE2.0 loop extension");
            assertEquals("NETSCAPE", app.getAttribute("applicationID"));
            byte[] loop = (byte[]) app.getUserObject();
            assertEquals(1, loop[0]);
            assertEquals(0, loop[1] | loop[2]); // loop forever
            r.dispose();
        }
        assertNoTempFiles();
    }

    @Test
    void abandonedWriterLeavesNoFile() throws IOException {
        Path gif = dir.resolve("b.gif");
        try (GifWriter w = new GifWriter(gif, 500, 0)) {
            w.addFrame(filled(Color.RED));
        }
        assertFalse(Files.exists(gif));
        assertNoTempFiles();
    }

    @Test
    void finishingWithoutFramesIsAnError() throws IOException {
        try (GifWriter w = new GifWriter(dir.resolve("c.gif"), 500, 0)) {
            assertThrows(IllegalStateException.class, w::finish);
        }
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    private static BufferedImage filled(Color c) {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, 40, 30);
        g.dispose();
        return img;
    }
}
