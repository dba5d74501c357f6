package org.ngvi.spark.eval;

import java.io.Serializable;
import org.nd4j.linalg.api.buffer.DataType;
import org.ngvi.data.PixelNormalization;
import org.ngvi.nn.Dropout;
import org.ngvi.nn.NetworkSpec;
import org.ngvi.posterior.GaussianPosterior;
import org.ngvi.tensor.FlatValues;

/**
 * A predictive distribution p(y | x) as executors rebuild it (broadcast once): the network, the
 * compute type, the weights (posterior mean, and standard deviations for weight sampling), the
 * {@link Method}, K and the seed of the K draws. Every task that opens it gets the same fixed
 * ensemble, so results do not depend on partitioning:
 * <ul>
 *   <li>{@link Method#WEIGHT_SAMPLES}: (1/K) Σ_k softmax(f(x; μ + σ ∘ ε_k)), ε_k from
 *       {@code GaussianNoise(seed, K)} at step 0 (VOGN's posterior);</li>
 *   <li>{@link Method#MC_DROPOUT}: (1/K) Σ_k softmax(f(x; θ, m_k)), dropout masks m_k seeded by
 *       {@code McPredictor.maskSeed(seed, k)} (MC dropout of a point estimate);</li>
 *   <li>{@link Method#MEAN_WEIGHTS}: softmax(f(x; μ)) (K = 0; point estimates without dropout).</li>
 * </ul>
 *
 * @param spec    the network
 * @param dtype   {@code float32} or {@code float64}
 * @param mean    μ (the weights of a point estimate)
 * @param std     σ, only for {@link Method#WEIGHT_SAMPLES} ({@code null} otherwise)
 * @param runningStats the network's BatchNorm running statistics, or
 *                {@code null} when it has none
 * @param method  how the K samples are drawn
 * @param samples K (0 exactly for {@link Method#MEAN_WEIGHTS})
 * @param seed    seed of the K draws
 */
public record Predictive(NetworkSpec spec, String dtype, FlatValues mean, FlatValues std, FlatValues runningStats,
                         Method method, int samples, long seed) implements Serializable {

    /** How the K predictive samples are drawn. */
    public enum Method {
        /** The mean weights (K = 0). */
        MEAN_WEIGHTS("mean_weights"),
        /** K weight samples of a Gaussian posterior. */
        WEIGHT_SAMPLES("weight_samples"),
        /** K dropout-mask samples at fixed weights (Gal &amp; Ghahramani 2016). */
        MC_DROPOUT("mc_dropout");

        private final String json;

        Method(String json) {
            this.json = json;
        }

        /** The name results carry ({@code "predictive"} in evaluation JSON). */
        public String json() {
            return json;
        }
    }

    public Predictive {
        if (samples < 0 || (method == Method.MEAN_WEIGHTS) != (samples == 0)) {
            throw new IllegalArgumentException("predictive " + method + " with K = " + samples);
        }
        if ((method == Method.WEIGHT_SAMPLES) != (std != null)) {
            throw new IllegalArgumentException("weight standard deviations are needed exactly for weight sampling");
        }
    }

    /**
     * The Gaussian posterior's MC predictive with K = {@code mc} weight samples; K = 0 or a point
     * estimate (σ = 0) gives the mean weights.
     */
    public static Predictive weightSamples(GaussianPosterior posterior, DataType dtype, int mc, long seed) {
        if (mc == 0 || posterior.isPointEstimate()) {
            return meanWeights(posterior, dtype, seed);
        }
        return new Predictive(posterior.spec(), name(dtype), FlatValues.of(posterior.mean()), FlatValues.of(posterior.std()),
                buffers(posterior), Method.WEIGHT_SAMPLES, mc, seed);
    }

    /**
     * MC dropout with K passes at the posterior mean (the weights of a point estimate); K = 0 gives
     * the deterministic forward pass.
     *
     * @throws IllegalArgumentException the network has no dropout layer with p &gt; 0
     */
    public static Predictive mcDropout(GaussianPosterior posterior, DataType dtype, int k, long seed) {
        if (!Dropout.anyRandom(posterior.spec())) {
            throw new IllegalArgumentException("MC dropout needs a network with a dropout layer of p > 0; this one has none "
                    + "(train an MLP with model_args.dropout > 0)");
        }
        if (k == 0) {
            return meanWeights(posterior, dtype, seed);
        }
        return new Predictive(posterior.spec(), name(dtype), FlatValues.of(posterior.mean()), null, buffers(posterior),
                Method.MC_DROPOUT, k, seed);
    }

    private static Predictive meanWeights(GaussianPosterior posterior, DataType dtype, long seed) {
        return new Predictive(posterior.spec(), name(dtype), FlatValues.of(posterior.mean()), null, buffers(posterior),
                Method.MEAN_WEIGHTS, 0, seed);
    }

    private static FlatValues buffers(GaussianPosterior posterior) {
        return posterior.runningStats() == null ? null : FlatValues.of(posterior.runningStats());
    }

    /**
     * The predictive {@code evaluate} and {@code score} use for a trained run:
     * <ul>
     *   <li>{@code mcDropout} given: MC dropout with that K (the run must be a point estimate whose
     *       network has dropout; {@code mc} must then be absent);</li>
     *   <li>else K = {@code mc} or, when absent, {@code defaultK} (the run's
     *       {@code val_num_mc_samples}); a Gaussian posterior (VOGN) samples weights, a point
     *       estimate (Adam, SGD) whose network has dropout layers with p &gt; 0 uses MC dropout, and
     *       any other point estimate its weights (K = 0).</li>
     * </ul>
     *
     * @throws IllegalArgumentException an impossible combination, naming the option
     */
    public static Predictive choose(GaussianPosterior posterior, DataType dtype, Integer mc, Integer mcDropout, int defaultK,
                                    long seed) {
        boolean dropout = Dropout.anyRandom(posterior.spec());
        if (mcDropout != null) {
            if (mc != null) {
                throw new IllegalArgumentException("--mc and --mc-dropout exclude each other (--mc-dropout K sets K)");
            }
            if (!posterior.isPointEstimate()) {
                throw new IllegalArgumentException("--mc-dropout: the run holds a Gaussian posterior; MC dropout is the "
                        + "baseline for point-estimate runs (adam, sgd); use --mc K for weight samples");
            }
            if (!dropout) {
                throw new IllegalArgumentException("--mc-dropout: the run's network has no dropout layer with p > 0 "
                        + "(train with model_args.dropout > 0)");
            }
            return mcDropout(posterior, dtype, mcDropout, seed);
        }
        int k = mc != null ? mc : defaultK;
        if (posterior.isPointEstimate()) {
            return dropout ? mcDropout(posterior, dtype, k, seed) : meanWeights(posterior, dtype, seed);
        }
        return weightSamples(posterior, dtype, k, seed);
    }

    private static String name(DataType dtype) {
        return dtype == DataType.DOUBLE ? "float64" : "float32";
    }

    public DataType dataType() {
        return dtype.equals("float64") ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** A description for logs: {@code "10 weight samples"}, {@code "MC dropout, K = 10"}, {@code "mean weights"}. */
    public String describe() {
        return switch (method) {
            case MEAN_WEIGHTS -> "mean weights";
            case WEIGHT_SAMPLES -> samples + " weight samples";
            case MC_DROPOUT -> "MC dropout, K = " + samples;
        };
    }

    /**
     * Builds the network and predictor on this JVM, with {@code normalization} for the pixels;
     * close it to stop the noise stream.
     */
    public BatchPredictor open(PixelNormalization normalization) {
        return new BatchPredictor(this, normalization);
    }
}
