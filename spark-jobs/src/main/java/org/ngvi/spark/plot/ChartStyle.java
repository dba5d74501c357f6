package org.ngvi.spark.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.LegendItemSource;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;

/**
 * The look shared by every chart of the project: matplotlib's "tab10" series colours, one sans-serif
 * family at fixed sizes (title 15 bold, axis labels 14, ticks and legend 12), white backgrounds,
 * a light dashed grid and flat bars (JFreeChart's defaults are a grey chart background, gradient
 * bars with shadows and a 10 pt tick font). {@link #chart} builds a chart in this style; plots,
 * axes and renderers are configured by the chart classes themselves.
 */
public final class ChartStyle {
    static {
        Headless.ensure();
    }

    /** The font family (DejaVu Sans on Debian; AWT substitutes when it is absent). */
    public static final String FONT_FAMILY = Font.SANS_SERIF;
    public static final Font TITLE_FONT = new Font(FONT_FAMILY, Font.BOLD, 15);
    public static final Font LABEL_FONT = new Font(FONT_FAMILY, Font.PLAIN, 14);
    public static final Font TICK_FONT = new Font(FONT_FAMILY, Font.PLAIN, 12);
    public static final Font LEGEND_FONT = new Font(FONT_FAMILY, Font.PLAIN, 12);

    /** tab10 blue. */
    public static final Color BLUE = new Color(0x1F77B4);
    /** tab10 orange. */
    public static final Color ORANGE = new Color(0xFF7F0E);
    /** tab10 green. */
    public static final Color GREEN = new Color(0x2CA02C);
    /** tab10 red. */
    public static final Color RED = new Color(0xD62728);
    /** tab10 grey. */
    public static final Color GRAY = new Color(0x7F7F7F);

    static final Color GRID = new Color(0, 0, 0, 40);
    static final Stroke GRID_STROKE = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {4f, 4f}, 0f);

    private ChartStyle() {
    }

    /** {@code color} at opacity {@code alpha} (0–255). */
    public static Color withAlpha(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }

    /**
     * A chart of {@code plot} titled {@code title} (null for none), without a legend, styled: white
     * background, the title font, and for every {@link XYPlot} (the subplots of a
     * {@link CombinedDomainXYPlot} too) white plot area, black frame, dashed grid and the label and
     * tick fonts on all axes.
     */
    public static JFreeChart chart(String title, Plot plot) {
        JFreeChart chart = new JFreeChart(null, TITLE_FONT, plot, false);
        if (title != null) {
            TextTitle t = new TextTitle(title, TITLE_FONT);
            t.setPaint(Color.BLACK);
            chart.setTitle(t);
        }
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 12));
        if (plot instanceof CombinedDomainXYPlot c) {
            style(c.getDomainAxis());
            c.getSubplots().forEach(ChartStyle::style);
        } else if (plot instanceof XYPlot p) {
            style(p);
        }
        return chart;
    }

    private static void style(XYPlot p) {
        p.setBackgroundPaint(Color.WHITE);
        p.setOutlinePaint(Color.BLACK);
        p.setOutlineStroke(new BasicStroke(1.2f));
        p.setAxisOffset(RectangleInsets.ZERO_INSETS);
        p.setDomainGridlinePaint(GRID);
        p.setRangeGridlinePaint(GRID);
        p.setDomainGridlineStroke(GRID_STROKE);
        p.setRangeGridlineStroke(GRID_STROKE);
        for (int i = 0; i < p.getDomainAxisCount(); i++) {
            style(p.getDomainAxis(i));
        }
        for (int i = 0; i < p.getRangeAxisCount(); i++) {
            style(p.getRangeAxis(i));
        }
    }

    /** Label and tick fonts, black ink, outward ticks. */
    public static void style(ValueAxis axis) {
        if (axis == null) {
            return;
        }
        axis.setLabelFont(LABEL_FONT);
        axis.setLabelPaint(Color.BLACK);
        axis.setTickLabelFont(TICK_FONT);
        axis.setTickLabelPaint(Color.BLACK);
        axis.setAxisLineVisible(false); // the plot's frame is the axis line
        axis.setTickMarkPaint(Color.BLACK);
        axis.setTickMarkOutsideLength(5f);
        axis.setTickMarkInsideLength(0f);
    }

    /** Flat bars (no gradient, no shadow) filling their x interval; outlines off until a series asks. */
    public static XYBarRenderer flatBars() {
        XYBarRenderer r = new XYBarRenderer(0);
        r.setBarPainter(new StandardXYBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        return r;
    }

    /** A legend of {@code items} in the legend font, framed in grey on white, at {@code edge} of the chart. */
    public static LegendTitle legend(LegendItemSource items, RectangleEdge edge) {
        LegendTitle legend = new LegendTitle(items);
        legend.setItemFont(LEGEND_FONT);
        legend.setItemPaint(Color.BLACK);
        legend.setBackgroundPaint(Color.WHITE);
        legend.setFrame(new BlockBorder(1, 1, 1, 1, Color.GRAY));
        legend.setPosition(edge);
        legend.setMargin(new RectangleInsets(4, 4, 6, 4));
        legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 10));
        return legend;
    }

    /** A fixed legend source. */
    public static LegendItemSource items(LegendItem... items) {
        LegendItemCollection c = new LegendItemCollection();
        for (LegendItem i : items) {
            c.add(i);
        }
        return () -> c;
    }

    private static final Shape PATCH = new Rectangle2D.Double(-13, -6, 26, 12);
    private static final Shape LINE = new Line2D.Double(-13, 0, 13, 0);

    /** A legend entry for bars and histograms: a 26 × 12 patch filled with {@code fill} (any paint), outlined with {@code edge}. */
    public static LegendItem patch(String label, Paint fill, Color edge) {
        LegendItem item = new LegendItem(label, null, null, null, PATCH, fill, new BasicStroke(1.5f), edge);
        item.setLabelFont(LEGEND_FONT);
        return item;
    }

    /** A legend entry for a line: a 26 px sample of {@code stroke} in {@code color}. */
    public static LegendItem line(String label, Color color, Stroke stroke) {
        LegendItem item = new LegendItem(label, null, null, null, LINE, stroke, color);
        item.setLabelFont(LEGEND_FONT);
        return item;
    }

    /** A legend entry for scatter markers: {@code shape} filled with {@code fill}, outlined with {@code edge}. */
    public static LegendItem marker(String label, Shape shape, Color fill, Color edge) {
        LegendItem item = new LegendItem(label, null, null, null, true, shape, true, fill, true, edge,
                new BasicStroke(1f), false, LINE, new BasicStroke(1f), edge);
        item.setLabelFont(LEGEND_FONT);
        return item;
    }

    /**
     * A vertical colour bar for {@code scale} (lower bound at the bottom) with {@code axis} on its
     * right labelled {@code label}; draw it with {@code draw(g2, area)} beside a data area, or add
     * it to a chart as a subtitle.
     */
    public static PaintScaleLegend colorBar(PaintScale scale, ValueAxis axis, String label) {
        axis.setLabel(label);
        style(axis);
        axis.setAxisLineVisible(true);
        PaintScaleLegend bar = new PaintScaleLegend(scale, axis);
        bar.setPosition(RectangleEdge.RIGHT);
        bar.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        bar.setStripWidth(18);
        bar.setStripOutlineVisible(true);
        bar.setStripOutlinePaint(Color.BLACK);
        bar.setSubdivisionCount(256);
        bar.setAxisOffset(0);
        bar.setMargin(RectangleInsets.ZERO_INSETS);
        bar.setBackgroundPaint(Color.WHITE);
        return bar;
    }
}
