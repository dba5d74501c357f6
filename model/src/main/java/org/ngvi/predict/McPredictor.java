package org.ngvi.predict;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.nn.DenseAccess;
import org.ngvi.nn.Network;
import org.ngvi.optim.NoiseSource;
import org.ngvi.tensor.FlatTensor;

/**
 * Monte-Carlo predictive distribution of a Gaussian weight posterior q(θ) = N(μ, diag(σ²)):
 * <pre>
 *   p(y | x) ≈ (1/K) Σ_k softmax(f(x; θ_k)),   θ_k = μ + σ ∘ ε_k,  ε_k ~ N(0, I)
 * </pre>
 * (Osawa et al. 2019, eq. for the predictive; for VOGN σ² = τ / (N (s + λ̄ + δ))). With K = 0
 * the mean weights alone are used: p(y | x) = softmax(f(x; μ)). Networks run in eval mode.
 *
 * <p>ε_k comes from the {@link NoiseSource} as {@code fill(noiseStep, k, ε)}, so the same K
 * weight samples are used for every batch (a fixed ensemble) and results are reproducible.
 * Optionally the mean per-sample entropy (1/K) Σ_k H[p_k(y|x)] is written too; with the
 * predictive entropy H[p(y|x)] it gives the mutual information (BALD)
 * I = H[p] − (1/K) Σ_k H[p_k].
 *
 * <p><b>MC dropout</b> ({@link #mcDropout}; Gal &amp; Ghahramani, ICML 2016) is the same average
 * over K stochastic forward passes at fixed weights θ with the network's dropout layers kept
 * active at test time:
 * <pre>
 *   p(y | x) ≈ (1/K) Σ_k softmax(f(x; θ, m_k)),   m_k = the dropout masks of pass k
 * </pre>
 * Pass k restarts the network's noise at {@link #maskSeed}(seed, k) with eval-mode sampling on
 * ({@link Network#reseedNoise(long, boolean)}), so its mask is shared by every example and every
 * batch — a fixed ensemble of K thinned networks, reproducible from the seed, and a row's
 * prediction does not depend on the batch it is in. Other layers (BatchNorm) run in eval mode.
 * The mutual information is computed as for weight samples. K = 0 is the deterministic forward
 * pass (dropout off).
 *
 * <p>Buffers (θ, ε, per-sample probabilities) are preallocated; a warm call allocates nothing.
 * Not thread-safe.
 */
public final class McPredictor {
    private final Network network;
    private final FlatTensor mean;
    private final FlatTensor std;
    private final int samples;
    private final NoiseSource noise;
    private final long noiseStep;
    private final FlatTensor theta;
    private final FlatTensor eps;
    private final boolean dropout;
    private final long dropoutSeed;
    private INDArray sampleProbs;

    /**
     * @param network   the network (its layout must match {@code mean} and {@code std})
     * @param mean      posterior mean μ (not copied; must not change while predicting)
     * @param std       posterior standard deviations σ, already including any scale such as √(τ/N);
     *                  may be {@code null} when {@code samples == 0}
     * @param samples   K ≥ 0 weight samples; 0 means the mean weights only
     * @param noise     source of ε; may be {@code null} when {@code samples == 0}
     * @param noiseStep the {@code step} argument given to {@link NoiseSource#fill}
     */
    public McPredictor(Network network, FlatTensor mean, FlatTensor std, int samples, NoiseSource noise, long noiseStep) {
        this(network, mean, std, samples, noise, noiseStep, false, 0);
    }

    private McPredictor(Network network, FlatTensor mean, FlatTensor std, int samples, NoiseSource noise, long noiseStep,
                        boolean dropout, long dropoutSeed) {
        if (samples < 0) {
            throw new IllegalArgumentException("number of MC samples must be >= 0, got " + samples);
        }
        if (!mean.layout().equals(network.layout())) {
            throw new IllegalArgumentException("mean layout " + mean.layout() + " does not match the network's " + network.layout());
        }
        if (samples > 0 && !dropout) {
            if (std == null || noise == null) {
                throw new IllegalArgumentException("MC prediction with " + samples + " samples needs std and a noise source");
            }
            if (!std.layout().equals(network.layout())) {
                throw new IllegalArgumentException("std layout " + std.layout() + " does not match the network's " + network.layout());
            }
        }
        this.network = network;
        this.mean = mean;
        this.std = std;
        this.samples = samples;
        this.noise = noise;
        this.noiseStep = noiseStep;
        this.dropout = dropout;
        this.dropoutSeed = dropoutSeed;
        boolean weightSamples = samples > 0 && !dropout;
        this.theta = weightSamples ? FlatTensor.zeros(network.layout(), network.dataType()) : null;
        this.eps = weightSamples ? FlatTensor.zeros(network.layout(), network.dataType()) : null;
    }

    /**
     * MC dropout with K = {@code samples} stochastic passes at the weights {@code params} (see the
     * class comment); {@code samples = 0} is the deterministic forward pass.
     *
     * @param seed seed of the K masks: pass k uses {@link #maskSeed}(seed, k)
     */
    public static McPredictor mcDropout(Network network, FlatTensor params, int samples, long seed) {
        return new McPredictor(network, params, null, samples, null, 0, true, seed);
    }

    /** Noise seed of MC-dropout pass {@code k}: a SplitMix64 mix of (seed, k). */
    public static long maskSeed(long seed, int k) {
        return org.ngvi.random.Seeds.mcPass(seed, k);
    }

    /** Whether this predictor samples dropout masks rather than weights. */
    public boolean isMcDropout() {
        return dropout;
    }

    /** Prediction with the mean weights only (K = 0). */
    public static McPredictor meanOnly(Network network, FlatTensor mean) {
        return new McPredictor(network, mean, null, 0, null, 0);
    }

    public int samples() {
        return samples;
    }

    public int numClasses() {
        return network.numClasses();
    }

    /**
     * Predictive probabilities of a batch.
     *
     * @param x   {@code [B, inputShape...]} in the network's data type
     * @param out {@code [B, classes]}, overwritten with (1/K) Σ_k p_k (K = 0: p at μ)
     */
    public void predict(INDArray x, INDArray out) {
        predict(x, out, null);
    }

    /**
     * As {@link #predict(INDArray, INDArray)}, also writing the mean per-sample predictive
     * entropy (1/K) Σ_k (−Σ_c p_kc log p_kc) per example into {@code meanSampleEntropy}
     * {@code [B]} when it is not {@code null} (for K = 0 the entropy of p at μ).
     */
    public void predict(INDArray x, INDArray out, INDArray meanSampleEntropy) {
        long b = x.size(0);
        int k = numClasses();
        if (out.rank() != 2 || out.size(0) != b || out.size(1) != k) {
            throw new IllegalArgumentException("output must be [" + b + ", " + k + "], got " + Arrays.toString(out.shape()));
        }
        if (meanSampleEntropy != null && meanSampleEntropy.length() != b) {
            throw new IllegalArgumentException("entropy output must have " + b + " entries, got " + Arrays.toString(meanSampleEntropy.shape()));
        }
        if (samples == 0) {
            INDArray logits = network.forward(mean, x, false);
            network.loss().probabilities(logits, out);
            if (meanSampleEntropy != null) {
                entropy(out, meanSampleEntropy, 1.0, false);
            }
            return;
        }
        INDArray probs = sampleProbs(b, k);
        DenseAccess acc = DenseAccess.of(out);
        DenseAccess p = DenseAccess.of(probs);
        int n = acc.length();
        double w = 1.0 / samples;
        for (int s = 0; s < samples; s++) {
            INDArray logits;
            if (dropout) {
                network.reseedNoise(maskSeed(dropoutSeed, s), true);
                logits = network.forward(mean, x, false);
            } else {
                noise.fill(noiseStep, s, eps);
                sample();
                logits = network.forward(theta, x, false);
            }
            network.loss().probabilities(logits, probs);
            for (int i = 0; i < n; i++) {
                acc.set(i, (s == 0 ? 0.0 : acc.get(i)) + w * p.get(i));
            }
            if (meanSampleEntropy != null) {
                entropy(probs, meanSampleEntropy, w, s > 0);
            }
        }
        if (dropout) {
            network.reseedNoise(dropoutSeed, false); // back to deterministic eval passes
        }
    }

    /** θ = μ + σ ∘ ε in one pass. */
    private void sample() {
        DenseAccess t = DenseAccess.of(theta.flat());
        DenseAccess m = DenseAccess.of(mean.flat());
        DenseAccess sd = DenseAccess.of(std.flat());
        DenseAccess e = DenseAccess.of(eps.flat());
        int n = t.length();
        for (int i = 0; i < n; i++) {
            t.set(i, m.get(i) + sd.get(i) * e.get(i));
        }
    }

    /** target[i] (+)= weight · H(probs[i, :]), with 0 log 0 = 0. */
    private static void entropy(INDArray probs, INDArray target, double weight, boolean accumulate) {
        int b = Math.toIntExact(probs.size(0));
        int k = Math.toIntExact(probs.size(1));
        DenseAccess p = DenseAccess.of(probs);
        DenseAccess t = DenseAccess.of(target);
        for (int i = 0; i < b; i++) {
            double h = 0;
            for (int c = 0; c < k; c++) {
                double v = p.get(i * k + c);
                if (v > 0) {
                    h -= v * Math.log(v);
                }
            }
            t.set(i, (accumulate ? t.get(i) : 0.0) + weight * h);
        }
    }

    private INDArray sampleProbs(long b, int k) {
        if (sampleProbs == null || sampleProbs.size(0) != b) {
            sampleProbs = Nd4j.create(network.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT, b, k);
        }
        return sampleProbs;
    }
}
