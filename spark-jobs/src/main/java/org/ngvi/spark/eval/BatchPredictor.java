package org.ngvi.spark.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.data.PixelNormalization;
import org.ngvi.nn.Network;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.predict.McPredictor;
import org.ngvi.spark.data.BatchAssembler;
import org.ngvi.spark.data.Example;
import org.ngvi.tensor.FlatTensor;

/**
 * One task's predictor of a {@link Predictive} ({@link Predictive#open}): the rebuilt network and
 * {@link McPredictor}, a {@link BatchAssembler} for the pixels, and the output arrays, reused while
 * the batch size stays the same. {@link #predict} turns a batch of {@link Example}s into predictive
 * probabilities and, with MC samples, the mean per-sample entropy. The one path by which
 * {@code evaluate} ({@link Evaluation}) and {@code score} predict on the executors. Not
 * thread-safe; close it to stop the noise stream.
 */
public final class BatchPredictor implements AutoCloseable {
    private final McPredictor predictor;
    private final GaussianNoise noise;
    private final BatchAssembler assembler;
    private final DataType dtype;
    private final int classes;
    private int[] positions = new int[0];
    private INDArray probs;    // [b, classes]
    private INDArray expected; // [b] mean sample entropy, null without MC samples

    /**
     * The predictions of one batch, valid until the next {@link #predict}.
     *
     * @param probabilities   p̄, row-major {@code [b, classes]}
     * @param classes         C
     * @param expectedEntropy (1/K) Σ_k H[p_k] per example, or {@code null} for K = 0
     * @param labels          the examples' labels (the assembler's array, reused)
     */
    public record Batch(double[] probabilities, int classes, double[] expectedEntropy, int[] labels) {
    }

    BatchPredictor(Predictive p, PixelNormalization normalization) {
        dtype = p.dataType();
        Network network = Network.build(p.spec(), dtype);
        FlatTensor mean = FlatTensor.zeros(network.layout(), dtype);
        p.mean().copyInto(mean);
        if (p.runningStats() != null) {
            FlatTensor b = FlatTensor.zeros(network.runningStatsLayout(), dtype);
            p.runningStats().copyInto(b);
            network.setRunningStats(b);
        }
        switch (p.method()) {
            case WEIGHT_SAMPLES -> {
                FlatTensor std = FlatTensor.zeros(network.layout(), dtype);
                p.std().copyInto(std);
                noise = new GaussianNoise(p.seed(), p.samples());
                predictor = new McPredictor(network, mean, std, p.samples(), noise, 0);
            }
            case MC_DROPOUT -> {
                noise = null;
                predictor = McPredictor.mcDropout(network, mean, p.samples(), p.seed());
            }
            default -> {
                noise = null;
                predictor = McPredictor.meanOnly(network, mean);
            }
        }
        assembler = new BatchAssembler(normalization, network.inputShape(), dtype);
        classes = predictor.numClasses();
    }

    /** Predicts {@code examples[0..count)} in one forward pass per MC sample. */
    public Batch predict(Example[] examples, int count) {
        if (positions.length < count) {
            positions = new int[count];
            for (int i = 0; i < count; i++) {
                positions[i] = i;
            }
        }
        INDArray x = assembler.assemble(examples, positions, 0, count);
        if (probs == null || probs.size(0) != count) {
            probs = Nd4j.create(dtype, count, classes);
            expected = predictor.samples() > 0 ? Nd4j.create(dtype, count) : null;
        }
        predictor.predict(x, probs, expected);
        return new Batch(probs.reshape((long) count * classes).toDoubleVector(), classes,
                expected == null ? null : expected.toDoubleVector(), assembler.labels());
    }

    @Override
    public void close() {
        if (noise != null) {
            noise.close();
        }
    }
}
