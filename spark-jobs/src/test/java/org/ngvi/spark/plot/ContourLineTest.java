package org.ngvi.spark.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jfree.data.xy.XYSeries;
import org.junit.jupiter.api.Test;

class ContourLineTest {
    @Test
    void contourOfTheSquaredRadiusIsAClosedCircle() {
        RegularGrid grid = new RegularGrid(-2.013, -2.017, 0.05, 81, 81);
        double[] f = field(grid, (x, y) -> x * x + y * y);
        List<ContourLine.Segment> segs = ContourLine.segments(grid, f, 1.0);
        double length = 0;
        Map<String, Integer> ends = new HashMap<>();
        for (ContourLine.Segment s : segs) {
            assertEquals(1.0, Math.hypot(s.x1(), s.y1()), 2e-3);
            assertEquals(1.0, Math.hypot(s.x2(), s.y2()), 2e-3);
            length += s.length();
            ends.merge(key(s.x1(), s.y1()), 1, Integer::sum);
            ends.merge(key(s.x2(), s.y2()), 1, Integer::sum);
        }
        assertEquals(2 * Math.PI, length, 2 * Math.PI * 2e-3);
        // closed: every crossing point is shared by exactly two segments
        ends.values().forEach(n -> assertEquals(2, n));
    }

    @Test
    void linearFieldsAreContouredExactly() {
        RegularGrid grid = new RegularGrid(-1, -1, 0.3, 8, 8);
        double[] f = field(grid, (x, y) -> x + 2 * y);
        List<ContourLine.Segment> segs = ContourLine.segments(grid, f, 0.3);
        assertTrue(!segs.isEmpty());
        for (ContourLine.Segment s : segs) {
            assertEquals(0.3, s.x1() + 2 * s.y1(), 1e-12);
            assertEquals(0.3, s.x2() + 2 * s.y2(), 1e-12);
        }
    }

    @Test
    void saddleCellsArePairedByTheCentreValue() {
        RegularGrid grid = new RegularGrid(0, 0, 1, 2, 2);
        // field order a(0,0), b(1,0), d(0,1), c(1,1); a = c = 1, b = d = 0: centre 0.5 >= 0.5 joins a and c
        List<ContourLine.Segment> joined = ContourLine.segments(grid, new double[] {1, 0, 0, 1}, 0.5);
        assertEquals(2, joined.size());
        // each segment cuts off b (near (1,0)) or d (near (0,1)): midpoints lie in those corners
        for (ContourLine.Segment s : joined) {
            double mx = (s.x1() + s.x2()) / 2;
            double my = (s.y1() + s.y2()) / 2;
            assertTrue((mx > 0.5 && my < 0.5) || (mx < 0.5 && my > 0.5), "segment " + s);
        }
        // a = c = 0.6, b = d = 0: centre 0.3 < 0.5, so a and c are cut off instead
        List<ContourLine.Segment> split = ContourLine.segments(grid, new double[] {0.6, 0, 0, 0.6}, 0.5);
        assertEquals(2, split.size());
        for (ContourLine.Segment s : split) {
            double mx = (s.x1() + s.x2()) / 2;
            double my = (s.y1() + s.y2()) / 2;
            assertTrue((mx < 0.5 && my < 0.5) || (mx > 0.5 && my > 0.5), "segment " + s);
        }
    }

    @Test
    void seriesHoldsEachSegmentThenABreak() {
        RegularGrid grid = new RegularGrid(-1, -1, 0.3, 8, 8);
        List<ContourLine.Segment> segs = ContourLine.segments(grid, field(grid, (x, y) -> x + 2 * y), 0.3);
        XYSeries s = ContourLine.series("c", segs);
        assertEquals(3 * segs.size(), s.getItemCount());
        for (int k = 0; k < segs.size(); k++) {
            ContourLine.Segment seg = segs.get(k);
            assertEquals(seg.x1(), s.getX(3 * k).doubleValue());
            assertEquals(seg.y1(), s.getY(3 * k).doubleValue());
            assertEquals(seg.x2(), s.getX(3 * k + 1).doubleValue());
            assertEquals(seg.y2(), s.getY(3 * k + 1).doubleValue());
            assertTrue(Double.isNaN(s.getY(3 * k + 2).doubleValue()), "pen lifted after segment " + k);
        }
    }

    @Test
    void constantFieldsHaveNoContour() {
        RegularGrid grid = new RegularGrid(0, 0, 1, 3, 3);
        assertEquals(0, ContourLine.segments(grid, new double[9], 0.5).size());
    }

    private interface F {
        double at(double x, double y);
    }

    private static double[] field(RegularGrid g, F f) {
        double[] v = new double[g.size()];
        for (int j = 0; j < g.ny(); j++) {
            for (int i = 0; i < g.nx(); i++) {
                v[j * g.nx() + i] = f.at(g.x(i), g.y(j));
            }
        }
        return v;
    }

    private static String key(double x, double y) {
        return Math.round(x * 1e9) + "," + Math.round(y * 1e9);
    }
}
