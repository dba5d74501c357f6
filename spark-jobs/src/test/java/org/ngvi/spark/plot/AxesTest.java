package org.ngvi.spark.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AxesTest {
    private final Figure figure = new Figure(300, 200);
    private final Axes axes = new Axes(figure, 50, 20, 200, 100, -2, 6, 1, 3);

    @Test
    void mapsTheDataCornersOntoThePixelRectangleWithYUp() {
        assertEquals(50, axes.px(-2), 1e-12);
        assertEquals(250, axes.px(6), 1e-12);
        assertEquals(120, axes.py(1), 1e-12); // y minimum at the bottom
        assertEquals(20, axes.py(3), 1e-12);
        assertEquals(100, axes.px(0), 1e-12);
        assertEquals(45, axes.py(2.5), 1e-12);
    }

    @Test
    void inverseUndoesTheTransform() {
        for (double x : new double[] {-2, -0.3, 1.7, 6}) {
            assertEquals(x, axes.dataX(axes.px(x)), 1e-12);
        }
        for (double y : new double[] {1, 1.25, 2.9}) {
            assertEquals(y, axes.dataY(axes.py(y)), 1e-12);
        }
    }

    @Test
    void ticksAreMultiplesOfOneTwoOrFiveTimesAPowerOfTen() {
        assertArrayEquals(new double[] {-10, -5, 0, 5, 10}, Axes.ticks(-11.5, 12.2, 7), 1e-12);
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, Axes.ticks(0, 1, 6), 1e-12);
        assertArrayEquals(new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, Axes.ticks(0, Math.log(2), 8), 1e-12);
        assertArrayEquals(new double[] {2, 4, 6}, Axes.ticks(1.5, 7, 4), 1e-12);
    }

    @Test
    void tickLabelsShowTheFewestDecimals() {
        assertEquals("-5", Axes.tickLabel(-5));
        assertEquals("0", Axes.tickLabel(0));
        assertEquals("0.2", Axes.tickLabel(0.2));
        assertEquals("0.25", Axes.tickLabel(0.25));
    }

    @Test
    void emptyRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Axes(figure, 0, 0, 10, 10, 1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Axes.ticks(3, 2, 5));
    }
}
