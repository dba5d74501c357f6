package org.ngvi.spark.plot;

import java.awt.Color;
import java.awt.Paint;
import java.io.Serializable;
import org.jfree.chart.renderer.PaintScale;

/**
 * A continuous colormap t ∈ [0, 1] → sRGB, piecewise linear between evenly spaced stops.
 * {@link #VIRIDIS} is matplotlib's perceptually uniform default (van der Walt and Smith 2015),
 * here through its 10 stops as published by viridisLite: dark blue-violet at 0, yellow at 1,
 * with luminance increasing monotonically. JFreeChart has no perceptual colour map (only grey and
 * lookup scales): {@link #scale} gives this one as a {@link PaintScale} for heat maps and colour bars.
 */
public final class Colormap implements Serializable {
    private static final long serialVersionUID = 1L;

    /** viridis: #440154 → #FDE725. */
    public static final Colormap VIRIDIS = new Colormap(new int[] {
            0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725});

    private final int[] stops;

    /** @param stops RGB values (0xRRGGBB) at t = i / (n − 1), n ≥ 2 */
    public Colormap(int[] stops) {
        if (stops.length < 2) {
            throw new IllegalArgumentException("a colormap needs at least 2 stops, got " + stops.length);
        }
        this.stops = stops.clone();
    }

    /** The colour at t as 0xRRGGBB; t is clamped to [0, 1], NaN maps to 0. */
    public int rgb(double t) {
        if (!(t > 0)) {
            return stops[0];
        }
        if (t >= 1) {
            return stops[stops.length - 1];
        }
        double f = t * (stops.length - 1);
        int i = (int) f;
        double w = f - i;
        int a = stops[i];
        int b = stops[i + 1];
        int r = mix((a >> 16) & 0xFF, (b >> 16) & 0xFF, w);
        int g = mix((a >> 8) & 0xFF, (b >> 8) & 0xFF, w);
        int bl = mix(a & 0xFF, b & 0xFF, w);
        return (r << 16) | (g << 8) | bl;
    }

    public Color color(double t) {
        return new Color(rgb(t));
    }

    /** The colour of {@code value} on the scale [vMin, vMax]. */
    public int rgb(double value, double vMin, double vMax) {
        return rgb((value - vMin) / (vMax - vMin));
    }

    private static int mix(int a, int b, double w) {
        return (int) Math.round(a + (b - a) * w);
    }

    /**
     * This map on [lower, upper] as a JFreeChart {@link PaintScale}: value v gets the colour at
     * t = (v − lower)/(upper − lower), clamped to the ends.
     */
    public PaintScale scale(double lower, double upper) {
        if (!(upper > lower) || Double.isInfinite(lower) || Double.isInfinite(upper)) {
            throw new IllegalArgumentException("a colour scale needs a finite range lower < upper, got [" + lower + ", "
                    + upper + "]");
        }
        return new Scale(this, lower, upper);
    }

    /** The colour map on a value range. */
    private record Scale(Colormap map, double lower, double upper) implements PaintScale, Serializable {
        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            return new Color(map.rgb(value, lower, upper));
        }
    }
}
