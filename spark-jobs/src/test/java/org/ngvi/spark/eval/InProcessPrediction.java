package org.ngvi.spark.eval;

import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.metrics.ClassificationMetrics;
import org.ngvi.metrics.EntropyDecomposition;
import org.ngvi.metrics.MetricsResult;
import org.ngvi.predict.McPredictor;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;

/**
 * The reference the distributed jobs are checked against: one in-process {@link McPredictor} pass
 * over all rows at once.
 *
 * @param probabilities   p̄, row-major {@code [rows, classes]}
 * @param expectedEntropy (1/K) Σ_k H[p_k] per row
 * @param classes         C
 * @param labels          the rows' labels
 */
public record InProcessPrediction(double[] probabilities, double[] expectedEntropy, int classes, int[] labels) {

    /** Predicts {@code rows}, assembled by {@code assembler}, with {@code predictor}. */
    public static InProcessPrediction of(McPredictor predictor, BatchAssembler assembler, Example[] rows) {
        int classes = predictor.numClasses();
        INDArray x = assembler.assemble(rows, IntStream.range(0, rows.length).toArray());
        INDArray probs = Nd4j.create(x.dataType(), rows.length, classes);
        INDArray expected = Nd4j.create(x.dataType(), rows.length);
        predictor.predict(x, probs, expected);
        return new InProcessPrediction(probs.reshape((long) rows.length * classes).toDoubleVector(), expected.toDoubleVector(),
                classes, assembler.labels().clone());
    }

    /** Classification metrics against the labels. */
    public MetricsResult metrics() {
        return new ClassificationMetrics().add(probabilities, classes, labels).result();
    }

    /** The mean mutual information over the rows. */
    public double meanMutualInformation() {
        return new EntropyDecomposition().add(probabilities, classes, expectedEntropy).meanMutualInformation();
    }

    /** H[p̄] of row {@code i}. */
    public double entropy(int i) {
        return EntropyDecomposition.entropy(probabilities, i * classes, classes);
    }

    /** The mutual information of row {@code i}. */
    public double mutualInformation(int i) {
        return EntropyDecomposition.mutualInformation(entropy(i), expectedEntropy[i]);
    }
}
