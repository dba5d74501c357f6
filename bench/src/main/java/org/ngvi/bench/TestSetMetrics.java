package org.ngvi.bench;

import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.predict.McPredictor;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;

/** In-process test-set metrics of a predictor, in batches of 1,000 (the reference checks' evaluation). */
final class TestSetMetrics {
    private static final int BATCH = 1000;

    private TestSetMetrics() {
    }

    /** Accuracy, NLL, ECE, ... of {@code predictor} on {@code test} ({@code classes} outputs), inputs from {@code assembler}. */
    static MetricsResult of(McPredictor predictor, BatchAssembler assembler, Example[] test, int classes) {
        ClassificationMetrics metrics = new ClassificationMetrics();
        INDArray out = null;
        for (int from = 0; from < test.length; from += BATCH) {
            int to = Math.min(test.length, from + BATCH);
            INDArray x = assembler.assemble(test, IntStream.range(from, to).toArray());
            if (out == null || out.size(0) != to - from) {
                out = Nd4j.create(x.dataType(), to - from, classes);
            }
            predictor.predict(x, out);
            metrics.add(out, assembler.labels());
        }
        return metrics.result();
    }
}
