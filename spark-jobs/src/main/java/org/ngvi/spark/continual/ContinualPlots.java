package org.ngvi.spark.continual;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.ngvi.io.AtomicFiles;

/**
 * The two figures of a continual run, drawn with JFreeChart and written atomically as PNG:
 * average test accuracy over the tasks seen against the number of tasks (one line per method),
 * and one method's accuracy matrix as a heat map (row: after training task t, column: task j).
 */
public final class ContinualPlots {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 560;

    private ContinualPlots() {
    }

    /** Draws both figures of the {@code continual.json} at {@code json} again, beside it (e.g. after a change of style). */
    public static void redraw(Path json) throws IOException {
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        int tasks = root.path("tasks").asInt();
        List<MethodResult> results = new java.util.ArrayList<>();
        root.path("methods").fields().forEachRemaining(e -> results.add(MethodResult.fromJson(ContinualMethod.of(e.getKey()),
                e.getValue())));
        Path dir = json.toAbsolutePath().getParent();
        averageAccuracy(results, tasks, dir.resolve("average_accuracy.png"));
        for (MethodResult r : results) {
            accuracyMatrix(r, tasks, dir.resolve("accuracy_" + r.method().configName() + ".png"));
        }
    }

    /** Average accuracy after t tasks, t = 1..(tasks done), one line per method. */
    public static void averageAccuracy(List<MethodResult> results, int tasks, Path png) throws IOException {
        headless();
        XYSeriesCollection data = new XYSeriesCollection();
        for (MethodResult r : results) {
            XYSeries s = new XYSeries(r.method().configName());
            for (int t = 1; t <= r.tasksDone(); t++) {
                s.add(t, r.average(t));
            }
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis("tasks trained");
        x.setRange(0.5, Math.max(1, tasks) + 0.5);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis("average test accuracy over the tasks seen");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < results.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesPaint(i, color(results.get(i).method()));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("Permuted tasks: average accuracy", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        write(chart, png);
    }

    /** The accuracy matrix of one method: cell (j, t) is task j's test accuracy after training task t. */
    public static void accuracyMatrix(MethodResult r, int tasks, Path png) throws IOException {
        headless();
        int done = r.tasksDone();
        int cells = done * (done + 1) / 2;
        double[][] xyz = new double[3][cells];
        int k = 0;
        for (int t = 1; t <= done; t++) {
            for (int j = 1; j <= t; j++) {
                xyz[0][k] = j;
                xyz[1][k] = t;
                xyz[2][k] = r.accuracy(t, j);
                k++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("accuracy", xyz);
        LookupPaintScale scale = new LookupPaintScale(0, 1.0000001, Color.WHITE);
        for (int i = 0; i < 100; i++) {
            scale.add(i / 100.0, viridis(i / 99.0));
        }
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);
        renderer.setBlockWidth(1);
        renderer.setBlockHeight(1);
        NumberAxis x = new NumberAxis("test task j");
        NumberAxis y = new NumberAxis("after training task t");
        for (NumberAxis a : new NumberAxis[] {x, y}) {
            a.setRange(0.5, Math.max(1, tasks) + 0.5);
            a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        y.setInverted(true);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, tasks > 12 ? 8 : 11);
        for (int i = 0; i < cells; i++) {
            XYTextAnnotation a = new XYTextAnnotation(String.format(Locale.ROOT, "%.2f", xyz[2][i]), xyz[0][i], xyz[1][i]);
            a.setFont(small);
            a.setPaint(xyz[2][i] > 0.6 ? Color.BLACK : Color.WHITE);
            plot.addAnnotation(a);
        }
        JFreeChart chart = new JFreeChart(r.method().configName() + ": test accuracy per task", JFreeChart.DEFAULT_TITLE_FONT,
                plot, false);
        NumberAxis scaleAxis = new NumberAxis("accuracy");
        scaleAxis.setRange(0, 1);
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        write(chart, png);
    }

    /** One colour per method, the same in every figure. */
    static Color color(ContinualMethod m) {
        return switch (m) {
            case VOGN -> new Color(0x1b9e77);
            case VOGN_CORESET -> new Color(0x7570b3);
            case EWC -> new Color(0xd95f02);
            case ADAM -> new Color(0x555555);
        };
    }

    private static final int[] VIRIDIS = {0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58,
        0xb5de2b, 0xfde725};

    /** The viridis colour map at f ∈ [0, 1], linear between ten anchors. */
    static Color viridis(double f) {
        double x = Math.max(0, Math.min(1, f)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) x);
        double w = x - i;
        int a = VIRIDIS[i];
        int b = VIRIDIS[i + 1];
        int[] c = new int[3];
        for (int k = 0; k < 3; k++) {
            int sh = 16 - 8 * k;
            c[k] = (int) Math.round(((a >> sh) & 0xff) * (1 - w) + ((b >> sh) & 0xff) * w);
        }
        return new Color(c[0], c[1], c[2]);
    }

    private static void write(JFreeChart chart, Path png) throws IOException {
        byte[] bytes = ChartUtils.encodeAsPNG(chart.createBufferedImage(WIDTH, HEIGHT));
        AtomicFiles.write(png, bytes);
    }

    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
