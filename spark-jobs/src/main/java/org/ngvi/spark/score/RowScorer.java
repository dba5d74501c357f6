package org.ngvi.spark.score;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.data.PixelNormalization;
import org.ngvi.metrics.EntropyDecomposition;
import org.ngvi.spark.data.Example;
import org.ngvi.spark.eval.BatchPredictor;
import org.ngvi.spark.eval.Predictive;

/**
 * Scores one partition: opens the broadcast {@link Predictive} once (a {@link BatchPredictor} per
 * task), then streams the rows through it in batches, emitting each input row's values followed by
 * the {@link ScoreColumns#ADDED} columns. Only one batch of rows is held at a time. Every row is
 * checked to hold an image of the expected shape.
 */
public final class RowScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /**
     * What every task needs (broadcast once).
     *
     * @param predictive    the run's predictive distribution
     * @param normalization pixels → network input
     * @param batch         rows per forward pass
     * @param shape         expected {@code [height, width, channels]} of every image
     * @param columns       positions of {@code image}, {@code height}, {@code width}, {@code channels}
     *                      and {@code index} (−1 when absent) in the input rows
     * @param source        the data set, for error messages
     */
    public record Setup(Predictive predictive, PixelNormalization normalization, int batch, int[] shape, int[] columns,
                 String source) implements Serializable {
    }

    private final Broadcast<Setup> setup;

    public RowScorer(Broadcast<Setup> setup) {
        this.setup = setup;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Scored(setup.value(), rows);
    }

    /** The lazily scored rows of a partition. */
    private static final class Scored implements Iterator<Row> {
        private final Setup s;
        private final Iterator<Row> in;
        private final BatchPredictor predictor;
        private final boolean doubles;
        private final List<Row> pending = new ArrayList<>();
        private final Example[] examples;
        private List<Row> out = List.of();
        private int next;
        private boolean closed;
        private long position;

        Scored(Setup s, Iterator<Row> in) {
            this.s = s;
            this.in = in;
            this.predictor = s.predictive().open(s.normalization());
            TaskContext tc = TaskContext.get();
            if (tc != null) {
                tc.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> close());
            }
            this.doubles = s.predictive().dataType() == DataType.DOUBLE;
            this.examples = new Example[s.batch()];
        }

        @Override
        public boolean hasNext() {
            if (next < out.size()) {
                return true;
            }
            if (!in.hasNext()) {
                close();
                return false;
            }
            scoreNextBatch();
            return next < out.size();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return out.get(next++);
        }

        private void close() {
            if (!closed) {
                closed = true;
                predictor.close();
            }
        }

        private void scoreNextBatch() {
            pending.clear();
            while (pending.size() < s.batch() && in.hasNext()) {
                pending.add(in.next());
            }
            int b = pending.size();
            int[] c = s.columns();
            for (int i = 0; i < b; i++) {
                Row r = pending.get(i);
                examples[i] = new Example(c[4] < 0 ? position : r.getLong(c[4]), 0, checkedImage(r, c));
                position++;
            }
            BatchPredictor.Batch batch = predictor.predict(examples, b);
            int classes = batch.classes();
            double[] p = batch.probabilities();
            double[] e = batch.expectedEntropy();
            List<Row> rows = new ArrayList<>(b);
            for (int i = 0; i < b; i++) {
                Row r = pending.get(i);
                int off = i * classes;
                int pred = 0;
                double conf = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    if (p[off + k] > conf) {
                        conf = p[off + k];
                        pred = k;
                    }
                }
                double h = EntropyDecomposition.entropy(p, off, classes);
                double mi = e == null ? 0.0 : EntropyDecomposition.mutualInformation(h, e[i]);
                Object probabilities;
                if (doubles) {
                    double[] v = new double[classes];
                    System.arraycopy(p, off, v, 0, classes);
                    probabilities = v;
                } else {
                    float[] v = new float[classes];
                    for (int k = 0; k < classes; k++) {
                        v[k] = (float) p[off + k];
                    }
                    probabilities = v;
                }
                Object[] values = new Object[r.length() + ScoreColumns.ADDED.size()];
                for (int j = 0; j < r.length(); j++) {
                    values[j] = r.get(j);
                }
                int j = r.length();
                values[j] = pred;
                values[j + 1] = probabilities;
                values[j + 2] = conf;
                values[j + 3] = h;
                values[j + 4] = mi;
                rows.add(RowFactory.create(values));
            }
            out = rows;
            next = 0;
        }

        /** The row's pixels, after checking its height, width, channels and byte count against the expected shape. */
        private byte[] checkedImage(Row r, int[] c) {
            int[] shape = s.shape();
            String row = c[4] >= 0 ? "row with index " + r.getLong(c[4]) : "row " + position + " of its partition";
            if (r.isNullAt(c[0]) || r.isNullAt(c[1]) || r.isNullAt(c[2]) || r.isNullAt(c[3])) {
                throw new IllegalArgumentException(s.source() + ": " + row + " has a null image, height, width or channels");
            }
            int h = r.getInt(c[1]);
            int w = r.getInt(c[2]);
            int ch = r.getInt(c[3]);
            if (h != shape[0] || w != shape[1] || ch != shape[2]) {
                throw new IllegalArgumentException(s.source() + ": " + row + " is a " + h + "x" + w + "x" + ch
                        + " image; expected " + shape[0] + "x" + shape[1] + "x" + shape[2] + " (height x width x channels)");
            }
            byte[] img = (byte[]) r.get(c[0]);
            if (img.length != h * w * ch) {
                throw new IllegalArgumentException(s.source() + ": " + row + ": column 'image' has " + img.length
                        + " bytes, height*width*channels = " + h * w * ch);
            }
            return img;
        }
    }
}
