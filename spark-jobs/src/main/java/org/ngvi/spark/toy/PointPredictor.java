package org.ngvi.spark.toy;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.nn.Network;
import org.ngvi.optim.GaussianNoise;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.predict.McPredictor;
import org.ngvi.tensor.FlatTensor;

/**
 * Predictions of a binary 2-input network at a fixed set of points (a plotting grid or the
 * training set), evaluated in batches of at most {@code batchSize} points; every point is
 * evaluated (no subsampling). The input batches are built once and reused.
 *
 * <p>Binary predictive entropy in nats: H(p) = −p log p − (1 − p) log(1 − p) ∈ [0, log 2].
 */
public final class PointPredictor {
    private final Network network;
    private final int points;
    private final List<INDArray> batches = new ArrayList<>();
    private final List<INDArray> outputs = new ArrayList<>();

    /** MC predictive of a posterior at the points: p̄(y = 1 | x) and H(p̄). */
    public record Predictive(double[] probability, double[] entropy) {
    }

    /**
     * @param network a network with input shape [2] and a two-class predictive (not shared with
     *                training: its buffers are sized for these batches)
     * @param xs      first coordinates
     * @param ys      second coordinates
     */
    public PointPredictor(Network network, double[] xs, double[] ys, int batchSize) {
        if (xs.length != ys.length || xs.length == 0) {
            throw new IllegalArgumentException("PointPredictor needs as many x as y coordinates (and some), got "
                    + xs.length + " and " + ys.length);
        }
        if (network.inputShape().length != 1 || network.inputShape()[0] != 2 || network.numClasses() != 2) {
            throw new IllegalArgumentException("PointPredictor needs a network with 2 inputs and 2 classes, got " + network);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.network = network;
        this.points = xs.length;
        DataType dt = network.dataType();
        for (int start = 0; start < points; start += batchSize) {
            int n = Math.min(batchSize, points - start);
            double[][] rows = new double[n][];
            for (int i = 0; i < n; i++) {
                rows[i] = new double[] {xs[start + i], ys[start + i]};
            }
            batches.add(Nd4j.createFromArray(rows).castTo(dt));
            outputs.add(Nd4j.create(dt, n, 2));
        }
    }

    public int points() {
        return points;
    }

    /** p(y = 1 | x, θ) at fixed weights θ. */
    public double[] probability(FlatTensor params) {
        return run(McPredictor.meanOnly(network, params));
    }

    /**
     * The MC predictive p̄ = (1/K) Σ_k p(y = 1 | x, θ_k), θ_k = μ + σ ∘ ε_k with ε_k =
     * {@code GaussianNoise(noiseSeed).fill(0, k)}: the same K samples for every batch (and for
     * every call with the same seed), and its entropy H(p̄).
     */
    public Predictive predictive(GaussianPosterior posterior, int samples, long noiseSeed) {
        try (GaussianNoise noise = new GaussianNoise(noiseSeed, samples)) {
            double[] p = run(new McPredictor(network, posterior.mean(), posterior.std(), samples, noise, 0));
            double[] h = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                h[i] = entropy(p[i]);
            }
            return new Predictive(p, h);
        }
    }

    /**
     * p(y = 1 | x, θ_k) for the first {@code count} weight samples θ_k of
     * {@link #predictive(GaussianPosterior, int, long)} with the same seed (the same ε_k).
     */
    public double[][] sampledProbabilities(GaussianPosterior posterior, int count, long noiseSeed) {
        double[][] out = new double[count][];
        FlatTensor eps = FlatTensor.zeros(posterior.mean().layout(), posterior.mean().dataType());
        FlatTensor theta = FlatTensor.zeros(posterior.mean().layout(), posterior.mean().dataType());
        try (GaussianNoise noise = new GaussianNoise(noiseSeed, count)) {
            for (int k = 0; k < count; k++) {
                noise.fill(0, k, eps);
                posterior.sample(eps, theta);
                out[k] = probability(theta);
            }
        }
        return out;
    }

    /** H(p) in nats, with 0 log 0 = 0. */
    public static double entropy(double p) {
        double h = 0;
        if (p > 0) {
            h -= p * Math.log(p);
        }
        if (p < 1) {
            h -= (1 - p) * Math.log1p(-p);
        }
        return h;
    }

    private double[] run(McPredictor predictor) {
        double[] p = new double[points];
        int at = 0;
        for (int b = 0; b < batches.size(); b++) {
            INDArray out = outputs.get(b);
            predictor.predict(batches.get(b), out);
            int n = Math.toIntExact(out.size(0));
            double[] flat = out.data().asDouble(); // [n, 2] in C order: p(y = 1) at 2i + 1
            for (int i = 0; i < n; i++) {
                p[at + i] = flat[2 * i + 1];
            }
            at += n;
        }
        return p;
    }
}
