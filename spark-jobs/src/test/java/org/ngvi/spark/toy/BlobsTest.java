package org.ngvi.spark.toy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlobsTest {
    private final Blobs blobs = Blobs.generate(5, 20, 1, 10, 19);

    @Test
    void twentyPointsPerBlobAndBlobsThreeAndFourAreClassOne() {
        assertEquals(100, blobs.size());
        int[] perBlob = new int[5];
        for (int i = 0; i < blobs.size(); i++) {
            perBlob[blobs.blob()[i]]++;
            assertEquals(blobs.blob()[i] >= 3 ? 1 : 0, blobs.labels()[i]);
        }
        assertArrayEquals(new int[] {20, 20, 20, 20, 20}, perBlob);
    }

    @Test
    void centresLieInTheBoxAndPointsScatterAroundThem() {
        for (double[] c : blobs.centres()) {
            assertTrue(Math.abs(c[0]) <= 10 && Math.abs(c[1]) <= 10, Arrays.toString(c));
        }
        for (int b = 0; b < 5; b++) {
            double mx = 0;
            double my = 0;
            for (int i = 0; i < blobs.size(); i++) {
                if (blobs.blob()[i] == b) {
                    mx += blobs.x()[i][0] / 20;
                    my += blobs.x()[i][1] / 20;
                }
            }
            // the mean of 20 N(c, 1) points is within 4 standard errors (4/sqrt(20) ≈ 0.9) of c
            assertEquals(blobs.centres()[b][0], mx, 0.9);
            assertEquals(blobs.centres()[b][1], my, 0.9);
        }
    }

    @Test
    void theSeedFixesTheData() {
        Blobs again = Blobs.generate(5, 20, 1, 10, 19);
        assertTrue(Arrays.deepEquals(blobs.x(), again.x()));
        assertArrayEquals(blobs.labels(), again.labels());
        assertFalse(Arrays.deepEquals(blobs.x(), Blobs.generate(5, 20, 1, 10, 20).x()));
    }

    @Test
    void theOrderMixesTheBlobs() {
        // a fixed order, but not blob by blob: the first batch of 10 holds more than one blob
        assertTrue(Arrays.stream(blobs.blob(), 0, 10).distinct().count() > 1);
    }
}
