package org.ngvi.spark.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

class EqualScaleTest {
    private static JFreeChart chart(String title, String yLabel) {
        NumberAxis x = new NumberAxis("x");
        x.setRange(0, 10);
        NumberAxis y = new NumberAxis(yLabel);
        y.setRange(-1000, 1000); // wide tick labels
        return ChartStyle.chart(title, new XYPlot(new XYSeriesCollection(), x, y, new XYLineAndShapeRenderer()));
    }

    @Test
    void dataAreasAreEqualAndShowXAndYAtOneScale() {
        JFreeChart[] charts = {chart("with a title", "y"), chart(null, null)};
        Rectangle2D[] boxes = {new Rectangle2D.Double(0, 0, 400, 500), new Rectangle2D.Double(400, 0, 400, 500)};
        // x spans 10, y 20 data units: the data area must be twice as tall as wide
        Rectangle2D[] rects = EqualScale.place(charts, boxes, 10, 20);
        Rectangle2D a = ChartPng.layout(charts[0], rects[0]).getPlotInfo().getDataArea();
        Rectangle2D b = ChartPng.layout(charts[1], rects[1]).getPlotInfo().getDataArea();
        assertEquals(a.getWidth(), b.getWidth(), 1.0);
        assertEquals(a.getHeight(), b.getHeight(), 1.0);
        assertEquals(2.0, a.getHeight() / a.getWidth(), 0.01);
        for (int i = 0; i < 2; i++) {
            assertTrue(boxes[i].contains(rects[i]), rects[i] + " within " + boxes[i]);
        }
        assertTrue(a.getHeight() > 400, "uses the boxes' height: " + a);
        assertThrows(IllegalArgumentException.class, () -> EqualScale.place(charts, new Rectangle2D[1], 1, 1));
    }
}
