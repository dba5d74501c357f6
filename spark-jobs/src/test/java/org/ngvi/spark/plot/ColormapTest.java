package org.ngvi.spark.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ColormapTest {
    @Test
    void viridisRunsFromDarkVioletToYellow() {
        assertEquals(0x440154, Colormap.VIRIDIS.rgb(0.0));
        assertEquals(0xFDE725, Colormap.VIRIDIS.rgb(1.0));
        assertEquals(0x440154, Colormap.VIRIDIS.rgb(-3.0)); // clamped
        assertEquals(0xFDE725, Colormap.VIRIDIS.rgb(7.0));
        assertEquals(0x440154, Colormap.VIRIDIS.rgb(Double.NaN));
        assertEquals(0x26828E, Colormap.VIRIDIS.rgb(4 / 9.0)); // a stop is hit exactly
    }

    @Test
    void viridisLuminanceIncreasesMonotonically() {
        double previous = -1;
        // 64 samples: finer steps would see 8-bit rounding (green flat while blue drops by one)
        for (int i = 0; i <= 64; i++) {
            int c = Colormap.VIRIDIS.rgb(i / 64.0);
            double lum = 0.2126 * lin((c >> 16) & 0xFF) + 0.7152 * lin((c >> 8) & 0xFF) + 0.0722 * lin(c & 0xFF);
            assertTrue(lum > previous, "luminance drops at t = " + i / 64.0);
            previous = lum;
        }
    }

    @Test
    void valueScaleMapsTheEndsOfTheRangeToTheEndsOfTheMap() {
        assertEquals(Colormap.VIRIDIS.rgb(0.0), Colormap.VIRIDIS.rgb(2.0, 2.0, 4.0));
        assertEquals(Colormap.VIRIDIS.rgb(1.0), Colormap.VIRIDIS.rgb(4.0, 2.0, 4.0));
        assertEquals(Colormap.VIRIDIS.rgb(0.5), Colormap.VIRIDIS.rgb(3.0, 2.0, 4.0));
    }

    private static double lin(int v) {
        double c = v / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
