package org.ngvi.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.ngvi.tensor.ParamSpec;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015), PyTorch's {@code nn.BatchNorm1d} on
 * {@code [B, F]} ({@code "batchnorm1d"}) and {@code nn.BatchNorm2d} on {@code [B, C, H, W]}
 * ({@code "batchnorm2d"}), with statistics per feature/channel c over the n = B·H·W values of the
 * batch (n = B for 1d):
 * <pre>
 *   x̂ = (x − μ_c) / √(σ²_c + ε),   y = γ_c x̂ + β_c
 * </pre>
 * Parameters {@code weight} γ and {@code bias} β {@code [features]} (initialised 1 and 0);
 * buffers {@code running_mean} and {@code running_var} {@code [features]} (initialised 0 and 1),
 * owned by the {@link Network}.
 *
 * <p><b>Which statistics.</b> With batch statistics μ_c is the batch mean and σ²_c the biased
 * batch variance (divided by n); a training forward pass then also updates the running statistics
 * as PyTorch does, with momentum m (default 0.1):
 * <pre>
 *   running_mean ← (1 − m) running_mean + m μ_c
 *   running_var  ← (1 − m) running_var  + m σ²_c · n / (n − 1)     (unbiased)
 * </pre>
 * With running statistics μ_c, σ²_c are {@code running_mean}, {@code running_var}. The optional
 * JSON field {@code mode} fixes the choice as the fixture format does: {@code "train"} always
 * normalises with batch statistics, {@code "eval"} always with the running ones; without it (the
 * normal case) the network's training flag decides (training → batch statistics). The running
 * statistics are updated only by forward passes with the training flag that use batch statistics.
 *
 * <p><b>Backward</b> with per-example deltas Δ = ∂ℓᵢ/∂y (Δ = B·∂L/∂y of the mean loss L):
 * ∂L/∂γ_c = (1/B) Σ x̂ Δ, ∂L/∂β_c = (1/B) Σ Δ (sums over the batch and positions). With running
 * statistics examples do not interact and Δ_in = γ_c Δ / √(σ²_c + ε). With batch statistics the
 * full derivative through μ_c and σ²_c is taken,
 * <pre>
 *   Δ_in = γ_c / √(σ²_c + ε) · (Δ − mean(Δ) − x̂ · mean(Δ x̂))      (means over the n values of c)
 * </pre>
 * which is B·∂L/∂x, the per-example delta convention of the fixture files.
 *
 * <p>The normalised input x̂ is kept in the per-batch {@link Scratch} for the backward pass and the
 * per-example curvature rule (γ is never divided out). Forward and backward are fused Java loops
 * over each channel's runs of H·W values, staged in bulk through {@link Chunks} so the JIT
 * vectorises them (two passes over x for the statistics, one writing x̂ and y; backward one pass
 * for the sums, one for Δ_in): nothing is allocated once warm.
 */
public final class BatchNorm implements Layer {
    public static final String TYPE_1D = "batchnorm1d";
    public static final String TYPE_2D = "batchnorm2d";
    /** PyTorch's default ε. */
    public static final double DEFAULT_EPS = 1e-5;
    /** PyTorch's default momentum of the running statistics. */
    public static final double DEFAULT_MOMENTUM = 0.1;

    /** Which statistics a forward pass normalises with. */
    public enum Mode {
        /** batch statistics when the forward pass is a training one, else running statistics */
        FOLLOW_TRAINING_FLAG,
        /** always batch statistics (fixture {@code "mode": "train"}) */
        TRAIN,
        /** always running statistics (fixture {@code "mode": "eval"}) */
        EVAL
    }

    private final boolean spatial;
    private final int features;
    private final double eps;
    private final double momentum;
    private final Mode mode;

    /**
     * @param spatial  {@code true}: batchnorm2d on {@code [B, C, H, W]}; {@code false}: batchnorm1d on {@code [B, F]}
     * @param features F or C
     * @param eps      ε &gt; 0
     * @param momentum m ∈ (0, 1], weight of the new batch statistic in the running statistics
     * @param mode     which statistics to use
     */
    public BatchNorm(boolean spatial, int features, double eps, double momentum, Mode mode) {
        String t = spatial ? TYPE_2D : TYPE_1D;
        if (features <= 0) {
            throw new IllegalArgumentException(t + ": features must be positive, got " + features);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(t + ": eps must be a positive number, got " + eps);
        }
        if (!(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException(t + ": momentum must be in (0, 1], got " + momentum);
        }
        this.spatial = spatial;
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.mode = mode == null ? Mode.FOLLOW_TRAINING_FLAG : mode;
    }

    /**
     * The layer of a fixture-format JSON object {@code {"type": "batchnorm2d", "features": 3,
     * "eps": 1e-05, "momentum": 0.1, "mode": "train"}}; {@code eps}, {@code momentum} and
     * {@code mode} are optional (1e-5, 0.1, follow the training flag).
     *
     * @param where position for error messages
     */
    static BatchNorm fromJson(JsonNode n, boolean spatial, String where) {
        String t = spatial ? TYPE_2D : TYPE_1D;
        int features = JsonFields.positiveInt(n, "features", where);
        double eps = optionalNumber(n, "eps", DEFAULT_EPS, where, t, "a positive number");
        double momentum = optionalNumber(n, "momentum", DEFAULT_MOMENTUM, where, t,
                "a number in (0, 1] (PyTorch's momentum=None, a cumulative average, is not supported)");
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(where + " (" + t + "): field 'eps' must be a positive number, got " + n.get("eps"));
        }
        if (!(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException(where + " (" + t + "): field 'momentum' must be a number in (0, 1], got "
                    + n.get("momentum"));
        }
        Mode mode = Mode.FOLLOW_TRAINING_FLAG;
        JsonNode m = n.get("mode");
        if (m != null) {
            if (m.isTextual() && m.asText().equals("train")) {
                mode = Mode.TRAIN;
            } else if (m.isTextual() && m.asText().equals("eval")) {
                mode = Mode.EVAL;
            } else {
                throw new IllegalArgumentException(where + " (" + t + "): field 'mode' must be \"train\" or \"eval\" (or absent: "
                        + "follow the training flag), got " + m);
            }
        }
        return new BatchNorm(spatial, features, eps, momentum, mode);
    }

    private static double optionalNumber(JsonNode n, String field, double dflt, String where, String type, String expected) {
        JsonNode v = n.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException(where + " (" + type + "): field '" + field + "' must be " + expected + ", got " + v);
        }
        return v.asDouble();
    }

    public boolean spatial() {
        return spatial;
    }

    public int features() {
        return features;
    }

    public double eps() {
        return eps;
    }

    public double momentum() {
        return momentum;
    }

    public Mode mode() {
        return mode;
    }

    /** Whether a forward pass with this training flag normalises with the batch statistics. */
    public boolean usesBatchStatistics(boolean training) {
        return mode == Mode.TRAIN || (mode == Mode.FOLLOW_TRAINING_FLAG && training);
    }

    @Override
    public String type() {
        return spatial ? TYPE_2D : TYPE_1D;
    }

    @Override
    public List<ParamSpec> paramSpecs() {
        return List.of(new ParamSpec("weight", new long[] {features}), new ParamSpec("bias", new long[] {features}));
    }

    @Override
    public List<ParamSpec> runningStatSpecs() {
        return List.of(new ParamSpec("running_mean", new long[] {features}), new ParamSpec("running_var", new long[] {features}));
    }

    @Override
    public List<String> normalizationParams() {
        return List.of("weight", "bias");
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        boolean ok = spatial ? inputShape.length == 3 && inputShape[0] == features
                : inputShape.length == 1 && inputShape[0] == features;
        if (!ok) {
            throw new IllegalArgumentException(type() + "(" + features + "): expects per-example input shape "
                    + (spatial ? "[" + features + ", H, W]" : "[" + features + "]") + ", got " + Arrays.toString(inputShape));
        }
        return inputShape.clone();
    }

    /**
     * Per-batch scratch of a BatchNorm: the normalised input x̂ (shaped like the input), read by the
     * per-example curvature rule, and what the backward pass needs of the last forward pass.
     */
    public static final class Scratch {
        private final INDArray normalized;
        private final double[] invStd;
        private boolean batchStatistics;

        Scratch(INDArray normalized, int features) {
            this.normalized = normalized;
            this.invStd = new double[features];
        }

        /** x̂ of the last forward pass, {@code [B, features(, H, W)]}. */
        public INDArray normalized() {
            return normalized;
        }
    }

    @Override
    public Object scratch(long batch, long[] inputShape, DataType dtype) {
        return new Scratch(Nd4j.create(dtype, Network.withBatch(batch, inputShape)), features);
    }

    /** PyTorch's initialisation: γ = 1, β = 0 (the random generator is not used). */
    @Override
    public void initParams(List<INDArray> params, SplittableRandom rng) {
        params.get(0).assign(1.0);
        params.get(1).assign(0.0);
    }

    /** running_mean = 0, running_var = 1. */
    @Override
    public void initRunningStats(List<INDArray> buffers) {
        buffers.get(0).assign(0.0);
        buffers.get(1).assign(1.0);
    }

    /** Positions per channel and example: H·W for 2d, 1 for 1d. */
    private int positions(INDArray a) {
        return spatial ? Math.toIntExact(a.size(2) * a.size(3)) : 1;
    }

    @Override
    public void forward(INDArray in, List<INDArray> params, INDArray out, Object scratch, boolean training) {
        throw new IllegalStateException(type() + ": the forward pass needs the running statistics; call "
                + "forward(in, params, buffers, out, scratch, training) (as Network does)");
    }

    @Override
    public void forward(INDArray in, List<INDArray> params, List<INDArray> buffers, INDArray out, Object scratch,
                        boolean training) {
        if (buffers.size() != 2) {
            throw new IllegalArgumentException(type() + ": expected the buffers running_mean and running_var, got "
                    + buffers.size() + " buffers");
        }
        Scratch s = (Scratch) scratch;
        if (!DenseAccess.supports(in)) {
            out.assign(in);
            in = out;
        }
        int b = Math.toIntExact(in.size(0));
        int p = positions(in);
        long n = (long) b * p;
        boolean batchStats = usesBatchStatistics(training);
        if (batchStats && n < 2) {
            throw new IllegalArgumentException(type() + ": batch statistics need more than 1 value per channel, got input shape "
                    + Arrays.toString(in.shape()) + " (use a larger batch, or running statistics)");
        }
        boolean update = batchStats && training;
        DenseAccess x = DenseAccess.of(in);
        DenseAccess y = DenseAccess.of(out);
        DenseAccess xh = DenseAccess.of(s.normalized);
        DenseAccess gamma = DenseAccess.of(params.get(0));
        DenseAccess beta = DenseAccess.of(params.get(1));
        DenseAccess rm = DenseAccess.of(buffers.get(0));
        DenseAccess rv = DenseAccess.of(buffers.get(1));
        int stride = features * p;
        double[] ca = Chunks.chunk(0);
        double[] cb = Chunks.chunk(1);
        double[] cc = Chunks.chunk(2);
        for (int c = 0; c < features; c++) {
            double mu;
            double var;
            if (batchStats) {
                double sum = 0;
                for (int i = 0; i < b; i++) {
                    int base = i * stride + c * p;
                    for (int from = 0; from < p; from += Chunks.SIZE) {
                        int len = Math.min(Chunks.SIZE, p - from);
                        x.get(base + from, ca, 0, len);
                        for (int j = 0; j < len; j++) {
                            sum += ca[j];
                        }
                    }
                }
                mu = sum / n;
                double ss = 0;
                for (int i = 0; i < b; i++) {
                    int base = i * stride + c * p;
                    for (int from = 0; from < p; from += Chunks.SIZE) {
                        int len = Math.min(Chunks.SIZE, p - from);
                        x.get(base + from, ca, 0, len);
                        for (int j = 0; j < len; j++) {
                            double dv = ca[j] - mu;
                            ss += dv * dv;
                        }
                    }
                }
                var = ss / n;
                if (update) {
                    rm.set(c, (1 - momentum) * rm.get(c) + momentum * mu);
                    rv.set(c, (1 - momentum) * rv.get(c) + momentum * var * n / (n - 1));
                }
            } else {
                mu = rm.get(c);
                var = rv.get(c);
            }
            double inv = 1.0 / Math.sqrt(var + eps);
            s.invStd[c] = inv;
            double g = gamma.get(c);
            double bt = beta.get(c);
            for (int i = 0; i < b; i++) {
                int base = i * stride + c * p;
                for (int from = 0; from < p; from += Chunks.SIZE) {
                    int len = Math.min(Chunks.SIZE, p - from);
                    x.get(base + from, ca, 0, len);
                    for (int j = 0; j < len; j++) {
                        double v = (ca[j] - mu) * inv;
                        cb[j] = v;
                        cc[j] = g * v + bt;
                    }
                    xh.set(base + from, cb, 0, len);
                    y.set(base + from, cc, 0, len);
                }
            }
        }
        s.batchStatistics = batchStats;
    }

    @Override
    public void backward(INDArray in, INDArray out, INDArray gradOut, List<INDArray> params, INDArray gradIn,
                         List<INDArray> grads, Object scratch) {
        Scratch s = (Scratch) scratch;
        int b = Math.toIntExact(gradOut.size(0));
        int p = positions(gradOut);
        long n = (long) b * p;
        DenseAccess d = DenseAccess.of(gradOut);
        DenseAccess xh = DenseAccess.of(s.normalized);
        DenseAccess gamma = DenseAccess.of(params.get(0));
        DenseAccess gGamma = DenseAccess.of(grads.get(0));
        DenseAccess gBeta = DenseAccess.of(grads.get(1));
        DenseAccess gi = gradIn == null ? null : DenseAccess.of(gradIn);
        int stride = features * p;
        double[] ca = Chunks.chunk(0);
        double[] cb = Chunks.chunk(1);
        double[] cc = Chunks.chunk(2);
        for (int c = 0; c < features; c++) {
            double sumD = 0;
            double sumDx = 0;
            for (int i = 0; i < b; i++) {
                int base = i * stride + c * p;
                for (int from = 0; from < p; from += Chunks.SIZE) {
                    int len = Math.min(Chunks.SIZE, p - from);
                    d.get(base + from, ca, 0, len);
                    xh.get(base + from, cb, 0, len);
                    for (int j = 0; j < len; j++) {
                        sumD += ca[j];
                        sumDx += ca[j] * cb[j];
                    }
                }
            }
            gGamma.set(c, sumDx / b);
            gBeta.set(c, sumD / b);
            if (gi == null) {
                continue;
            }
            double k = gamma.get(c) * s.invStd[c];
            double meanD = s.batchStatistics ? sumD / n : 0;
            double meanDx = s.batchStatistics ? sumDx / n : 0;
            for (int i = 0; i < b; i++) {
                int base = i * stride + c * p;
                for (int from = 0; from < p; from += Chunks.SIZE) {
                    int len = Math.min(Chunks.SIZE, p - from);
                    d.get(base + from, ca, 0, len);
                    xh.get(base + from, cb, 0, len);
                    for (int j = 0; j < len; j++) {
                        cc[j] = k * (ca[j] - meanD - cb[j] * meanDx);
                    }
                    gi.set(base + from, cc, 0, len);
                }
            }
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("type", type());
        o.put("features", features);
        o.put("eps", eps);
        o.put("momentum", momentum);
        if (mode == Mode.TRAIN) {
            o.put("mode", "train");
        } else if (mode == Mode.EVAL) {
            o.put("mode", "eval");
        }
        return o;
    }

    @Override
    public String toString() {
        return type() + "(" + features + ", eps " + eps + ", momentum " + momentum
                + (mode == Mode.FOLLOW_TRAINING_FLAG ? "" : ", " + mode.name().toLowerCase(java.util.Locale.ROOT)) + ")";
    }
}
