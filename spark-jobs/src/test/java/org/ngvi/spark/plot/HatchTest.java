package org.ngvi.spark.plot;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class HatchTest {
    @Test
    void hatchLetsWhateverIsBeneathShowBetweenItsLines() {
        BufferedImage img = new BufferedImage(120, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 120, 120);
        g.setColor(Color.BLUE);
        g.fillRect(0, 60, 120, 60);          // a bar in the lower half
        g.setPaint(Hatch.of(Color.RED, 6, 1.5f));
        g.fillRect(0, 0, 120, 120);          // hatch over white and over the bar
        g.dispose();
        int[] upper = count(img, 0, 60);
        int[] lower = count(img, 60, 120);
        assertTrue(upper[0] > 500 && upper[1] > 500, "over white: red " + upper[0] + " white " + upper[1]);
        assertTrue(lower[0] > 500 && lower[2] > 500, "over the bar: red " + lower[0] + " blue " + lower[2]);
        assertThrows(IllegalArgumentException.class, () -> Hatch.of(Color.RED, 2, 1f));
    }

    /** {red, white, blue} pixel counts in rows [y0, y1). */
    private static int[] count(BufferedImage img, int y0, int y1) {
        int[] n = new int[3];
        for (int y = y0; y < y1; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y) & 0xFFFFFF;
                if (((c >> 16) & 0xFF) > 150 && (c & 0xFF) < 100) {
                    n[0]++;
                } else if (c == 0xFFFFFF) {
                    n[1]++;
                } else if (c == 0x0000FF) {
                    n[2]++;
                }
            }
        }
        return n;
    }
}
